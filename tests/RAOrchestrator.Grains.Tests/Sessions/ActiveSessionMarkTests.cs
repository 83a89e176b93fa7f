using RAOrchestrator.Abstractions.Sessions;

namespace RAOrchestrator.Grains.Tests.Sessions;

/// <summary>
/// The sessions of a shard often become active together, so their marks interleave and share writes instead of each
/// waiting for the writes of all marks before it; a mark is still answered only once a write holding it has landed, and
/// the count is of stored marks only. Writes are held by the test's gate in front of the real table storage.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class ActiveSessionMarkTests(GrainCluster cluster)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Marks_made_while_a_write_is_in_flight_share_the_next_write_and_none_is_answered_or_counted_before_it_lands()
    {
        var shard = cluster.Grains.GetGrain<IActiveSessionsGrain>(Random.Shared.NextInt64(1_000, long.MaxValue));
        var first = cluster.Gate.HoldNextWrite(shard.GetGrainId());
        var marking = shard.MarkAsync("tenants/t/sessions/s1", active: true);
        await first.Arrived.WaitAsync(Wait);

        // Three more sessions become active, and the first marks again (as an activation does), while that write is held;
        // all four calls are inside the grain before the write lands (Orleans does not promise they arrive in order).
        var others = new[]
        {
            shard.MarkAsync("tenants/t/sessions/s2", active: true),
            shard.MarkAsync("tenants/t/sessions/s3", active: true),
            shard.MarkAsync("tenants/t/sessions/s4", active: true),
        };
        var repeat = shard.MarkAsync("tenants/t/sessions/s1", active: true);
        await cluster.Calls.StartedAsync(shard.GetGrainId(), nameof(IActiveSessionsGrain.MarkAsync), 5, Wait);
        Assert.Equal(0, await shard.CountAsync().WaitAsync(Wait));
        Assert.False(marking.IsCompleted || repeat.IsCompleted || others.Any(t => t.IsCompleted), "a mark was answered before its write landed");

        var second = cluster.Gate.HoldNextWrite(shard.GetGrainId());
        first.Release();
        await marking.WaitAsync(Wait);
        await second.Arrived.WaitAsync(Wait);
        Assert.Equal(1, await shard.CountAsync().WaitAsync(Wait));
        Assert.False(others.Any(t => t.IsCompleted), "a mark was answered before the write holding it landed");

        // The three new marks went out together: no third write is made for them.
        var third = cluster.Gate.HoldNextWrite(shard.GetGrainId());
        second.Release();
        // The repeat may be answered with either write: it changed nothing, and waits for whatever was marked before it.
        await Task.WhenAll(others.Append(repeat)).WaitAsync(Wait);
        Assert.False(third.Arrived.IsCompleted, "the marks made during one write took more than the next write");
        Assert.Equal(4, await shard.CountAsync().WaitAsync(Wait));
        third.Release();
    }

    [Fact]
    public async Task A_mark_whose_write_failed_is_not_counted_and_its_caller_hears_the_failure()
    {
        var shard = cluster.Grains.GetGrain<IActiveSessionsGrain>(Random.Shared.NextInt64(1_000, long.MaxValue));
        await shard.MarkAsync("tenants/t/sessions/s1", active: true);
        var held = cluster.Gate.HoldNextWrite(shard.GetGrainId());
        var marking = shard.MarkAsync("tenants/t/sessions/s2", active: true);
        await held.Arrived.WaitAsync(Wait);
        Assert.Equal(1, await shard.CountAsync().WaitAsync(Wait));

        held.Fail();
        await Assert.ThrowsAnyAsync<Exception>(() => marking);
        Assert.Equal(1, await shard.CountAsync().WaitAsync(Wait));
    }
}
