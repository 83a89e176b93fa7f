using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Grains;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Sessions.Storage;

namespace RAOrchestrator.Bench.SessionStorage;

/// <summary>
/// The two arms of the <c>session-storage</c> comparison in one host: sessions whose id starts with
/// <see cref="WholeStatePrefix"/> store through <paramref name="wholeState"/>, every other one through
/// <paramref name="log"/> (the product's <see cref="TableSessionStore"/>).
/// </summary>
public sealed class ArmRoutingSessionStore(ISessionStore log, ISessionStore wholeState) : ISessionStore
{
    public const string WholeStatePrefix = "state-";

    private const string Marker = "/sessions/" + WholeStatePrefix;

    /// <summary>
    /// Registers over the host's own <see cref="ISessionStore"/>: the log as the host builds it and the whole-state store
    /// over the host's grain storage <see cref="StorageNames.State"/>.
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => new WholeStateSessionStore(sp.GetRequiredKeyedService<IGrainStorage>(StorageNames.State)));
        services.AddSingleton<ISessionStore>(sp => new ArmRoutingSessionStore(
            new TableSessionStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<Serializer>()),
            sp.GetRequiredService<WholeStateSessionStore>()));
    }

    public Task<StoredSession> ReadAsync(string key) => For(key).ReadAsync(key);

    public Task AppendAsync(string key, long version, SessionDelta delta) => For(key).AppendAsync(key, version, delta);

    public Task<string> WriteSnapshotAsync(string key, long version, SessionGrainState state, string? etag) => For(key).WriteSnapshotAsync(key, version, state, etag);

    public Task ClearAsync(string key, string etag) => For(key).ClearAsync(key, etag);

    private ISessionStore For(string key) => key.Contains(Marker, StringComparison.Ordinal) ? wholeState : log;
}
