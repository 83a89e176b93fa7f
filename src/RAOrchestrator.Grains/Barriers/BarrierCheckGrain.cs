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
        var published = await GrainFactory.GetGrain<IBarrierGrain>(TenantName + "/barriers").GetPublishedAsync();
        if (published is null)
        {
            return (null, 0);
        }

        if (_compiled is null || _version != published.Version)
        {
            _compiled = await LoadAsync(published);
            _version = published.Version;
        }

        return (_compiled.Check(userA, userB, activity), _version);
    }

    private async Task<CompiledBarriers> LoadAsync(PublishedBarriers published)
    {
        var header = await Part(published.Version, "header").GetAsync() ?? throw new InvalidOperationException($"Barrier version {published.Version} has no header.");
        var shards = await Task.WhenAll(Enumerable.Range(0, published.Parts).Select(i => Part(published.Version, $"shard-{i}").GetAsync()));
        return BarrierSnapshotCodec.Decode(header, shards.Select(s => s ?? throw new InvalidOperationException($"Barrier version {published.Version} misses a shard.")));
    }

    private IBarrierPartGrain Part(long version, string part) => GrainFactory.GetGrain<IBarrierPartGrain>(BarrierGrain.PartKey(TenantName, version, part));
}
