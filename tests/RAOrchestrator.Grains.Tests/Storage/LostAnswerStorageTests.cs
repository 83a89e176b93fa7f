using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Grains.Indexes;
using RAOrchestrator.Grains.ServiceAccounts;

namespace RAOrchestrator.Grains.Tests.Storage;

/// <summary>
/// Grain-state writes whose answer is lost after storage took them: through the silo's own state storage, the Azure
/// Table provider on Azurite and the client library's retries. The retry finds the row already changed; a row that
/// holds exactly the write counts as written, anything else stays a conflict.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class LostAnswerStorageTests(GrainCluster cluster)
{
    private const string StateName = "page";

    private IGrainStorage Storage => cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);

    [Theory]
    [InlineData(false)] // the row's first write, an insert: its retry is answered 409
    [InlineData(true)] // a later write, an update: its retry is answered 412
    public async Task A_write_whose_answer_was_lost_after_it_landed_counts_as_written_and_the_next_write_goes_on(bool update)
    {
        var (grain, key) = NewRow();
        var state = new GrainState<KeyIndexPageState>(new KeyIndexPageState { Keys = ["a"] });
        if (update)
        {
            await Storage.WriteStateAsync(StateName, grain, state);
            state.State!.Keys.Add("b");
        }

        var dropped = cluster.LostAnswers.DropNextWriteOf(key);
        await Storage.WriteStateAsync(StateName, grain, state);

        Assert.Equal(HttpStatusCode.NoContent, await dropped); // storage took the first attempt
        var stored = await ReadAsync(grain);
        Assert.Equal(state.State!.Keys, stored.State!.Keys);
        Assert.Equal(stored.ETag, state.ETag);
        Assert.True(state.RecordExists);

        // The ETag it took is the row's: the activation's next write is accepted.
        state.State!.Keys.Add("c");
        await Storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal(state.State!.Keys, (await ReadAsync(grain)).State!.Keys);
    }

    [Fact]
    public async Task A_lost_answer_of_a_state_that_does_not_serialize_back_to_its_own_bytes_still_counts_as_written()
    {
        // An account as a bulk stores it: its attributes in a dictionary with the ordinal comparer, which a read gives
        // back in another form, so the state read back serializes to other bytes than the ones written.
        var (grain, key) = NewRow();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["companyName"] = "OEM Ltd" };
        var state = new GrainState<ServiceAccountState>(new ServiceAccountState
        {
            Exists = true,
            Spec = new ServiceAccountSpec("OEM vendor 3", $"vendor-3@t{key[..8]}.example", "DE", attributes, false, [Guid.NewGuid()]),
            RequestId = "bulk." + key,
            Version = 1,
        });

        var dropped = cluster.LostAnswers.DropNextWriteOf(key);
        await Storage.WriteStateAsync("serviceAccount", grain, state);

        Assert.Equal(HttpStatusCode.NoContent, await dropped);
        var stored = new GrainState<ServiceAccountState>();
        await Storage.ReadStateAsync("serviceAccount", grain, stored);
        Assert.Equal(stored.ETag, state.ETag);
        Assert.Equal(("OEM Ltd", 1L), (stored.State!.Spec!.Attributes["companyName"], stored.State.Version));
    }

    [Fact]
    public async Task A_lost_answer_of_a_state_changed_while_its_write_was_out_counts_what_was_sent_as_written()
    {
        // A grain whose calls interleave (a group commit) changes its state while a write is out.
        var (grain, key) = NewRow();
        var state = new GrainState<KeyIndexPageState>(new KeyIndexPageState { Keys = ["a"] });
        await Storage.WriteStateAsync(StateName, grain, state);
        state.State!.Keys.Add("sent");

        var dropped = cluster.LostAnswers.DropNextWriteOf(key, () =>
        {
            state.State.Keys.Add("later");
            return Task.CompletedTask;
        });
        await Storage.WriteStateAsync(StateName, grain, state);

        Assert.Equal(HttpStatusCode.NoContent, await dropped);
        var stored = await ReadAsync(grain);
        Assert.Equal(["a", "sent"], stored.State!.Keys);
        Assert.Equal(stored.ETag, state.ETag);

        // The change made meanwhile goes with the next write.
        await Storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal(["a", "sent", "later"], (await ReadAsync(grain)).State!.Keys);
    }

    [Fact]
    public async Task A_clear_whose_answer_was_lost_after_it_landed_counts_as_cleared()
    {
        var (grain, key) = NewRow();
        var state = new GrainState<KeyIndexPageState>(new KeyIndexPageState { Keys = ["a", "b"] });
        await Storage.WriteStateAsync(StateName, grain, state);

        var dropped = cluster.LostAnswers.DropNextWriteOf(key);
        await Storage.ClearStateAsync(StateName, grain, state);

        Assert.Equal(HttpStatusCode.NoContent, await dropped);
        Assert.False(state.RecordExists);
        Assert.Empty(state.State!.Keys);
        var stored = await ReadAsync(grain);
        Assert.False(stored.RecordExists);
        Assert.Equal(stored.ETag, state.ETag);
    }

    [Fact]
    public async Task A_write_whose_row_another_writer_changed_after_it_landed_stays_a_conflict()
    {
        var (grain, key) = NewRow();
        var state = new GrainState<KeyIndexPageState>(new KeyIndexPageState { Keys = ["a"] });
        await Storage.WriteStateAsync(StateName, grain, state);
        state.State!.Keys.Add("mine");

        // Between this write landing and its retry, a second activation writes the row.
        var dropped = cluster.LostAnswers.DropNextWriteOf(key, async () =>
        {
            var other = await ReadAsync(grain);
            other.State!.Keys.Add("theirs");
            await Storage.WriteStateAsync(StateName, grain, other);
        });
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, state));

        Assert.Equal(HttpStatusCode.NoContent, await dropped);
        Assert.Equal(["a", "mine", "theirs"], (await ReadAsync(grain)).State!.Keys);
    }

    [Fact]
    public async Task A_write_with_an_etag_another_writer_replaced_stays_a_conflict_and_leaves_the_row_as_that_writer_left_it()
    {
        var (grain, _) = NewRow();
        var mine = new GrainState<KeyIndexPageState>(new KeyIndexPageState { Keys = ["a"] });
        await Storage.WriteStateAsync(StateName, grain, mine);
        var theirs = await ReadAsync(grain);
        theirs.State!.Keys.Add("theirs");
        await Storage.WriteStateAsync(StateName, grain, theirs);

        mine.State!.Keys.Add("mine");
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, mine));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grain, mine));

        Assert.Equal(["a", "theirs"], (await ReadAsync(grain)).State!.Keys);
    }

    private static (GrainId Grain, string Key) NewRow()
    {
        var key = Guid.NewGuid().ToString("N");
        return (GrainId.Create("lostanswer", key), key);
    }

    private async Task<GrainState<KeyIndexPageState>> ReadAsync(GrainId grain)
    {
        var stored = new GrainState<KeyIndexPageState>();
        await Storage.ReadStateAsync(StateName, grain, stored);
        return stored;
    }
}
