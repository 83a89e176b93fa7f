using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Grains.Barriers;

/// <summary>
/// Checks against the published version, keyed <c>tenants/{tenant}</c>. A stateless worker: each activation holds the
/// decoded version (the compiled form answers in constant time, no scan over users or policies) and reloads it from
/// its parts when a newer version is published.
/// </summary>
[GrainType("barriercheck"), StatelessWorker]
public sealed class BarrierCheckGrain : Grain, IBarrierCheckGrain
{
    private CompiledBarriers? _compiled;
    private long _version;

    private string TenantName => this.GetPrimaryKeyString();

    public async Task<(BarrierCheckResult? Result, long Version)> CheckAsync(string userA, string userB, BarrierActivity activity)
    {
        if (await CurrentAsync() is not { } compiled)
        {
            return (null, 0);
        }

        var result = compiled.Check(userA, userB, activity);
        Record(result);
        return (result, _version);
    }

    public async Task<IReadOnlyList<string>> FilterAsync(string userA, IReadOnlyList<string> candidates, BarrierActivity activity)
    {
        if (await CurrentAsync() is not { } compiled)
        {
            return candidates;
        }

        var allowed = new List<string>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var result = compiled.Check(userA, candidate, activity);
            Record(result);
            if (result.Allowed)
            {
                allowed.Add(candidate);
            }
        }

        return allowed;
    }

    private async Task<CompiledBarriers?> CurrentAsync()
    {
        var published = await GrainFactory.GetGrain<IBarrierGrain>(TenantName + "/barriers").GetPublishedAsync();
        if (published is null)
        {
            return null;
        }

        if (_compiled is null || _version != published.Version)
        {
            _compiled = await LoadAsync(published);
            _version = published.Version;
        }

        return _compiled;
    }

    /// <summary>Every denial is counted (by activity and reason, bounded) and marked on the current span with the policy.</summary>
    private void Record(BarrierCheckResult result)
    {
        if (result.Allowed)
        {
            return;
        }

        Telemetry.BarrierDenials.Add(1, new("barrier.activity", result.Activity.ToString()), new("barrier.reason", result.Reason.ToString()));
        System.Diagnostics.Activity.Current?.AddEvent(new System.Diagnostics.ActivityEvent("barrier.denied", tags: new System.Diagnostics.ActivityTagsCollection
        {
            ["raorchestrator.tenant"] = TenantName,
            ["barrier.activity"] = result.Activity.ToString(),
            ["barrier.reason"] = result.Reason.ToString(),
            ["barrier.policy"] = result.DecidingPolicy,
        }));
    }

    private async Task<CompiledBarriers> LoadAsync(PublishedBarriers published)
    {
        var header = await Part(published.Version, "header").GetAsync() ?? throw new InvalidOperationException($"Barrier version {published.Version} has no header.");
        var shards = await Task.WhenAll(Enumerable.Range(0, published.Parts).Select(i => Part(published.Version, $"shard-{i}").GetAsync()));
        return BarrierSnapshotCodec.Decode(header, shards.Select(s => s ?? throw new InvalidOperationException($"Barrier version {published.Version} misses a shard.")));
    }

    private IBarrierPartGrain Part(long version, string part) => GrainFactory.GetGrain<IBarrierPartGrain>(BarrierGrain.PartKey(TenantName, version, part));
}
