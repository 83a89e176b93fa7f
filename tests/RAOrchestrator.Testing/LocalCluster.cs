using System.Diagnostics;

namespace RAOrchestrator.Testing;

/// <summary>The ports of one silo process: gRPC API, health, silo-to-silo, gateway.</summary>
public sealed record SiloPorts(int Api, int Management, int Silo, int Gateway)
{
    public static SiloPorts Free() => new(FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
}

/// <summary>
/// Several server processes on this machine forming one Orleans cluster through the same Azure Table storage: each
/// has its own API, health, silo and gateway ports and the same cluster and service ids. A member can be killed,
/// stopped cleanly and started again on its ports.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly Func<SiloPorts, IDictionary<string, string?>> _settings;
    private readonly SiloProcess?[] _members;

    private LocalCluster(Func<SiloPorts, IDictionary<string, string?>> settings, SiloPorts[] ports)
    {
        _settings = settings;
        Ports = ports;
        _members = new SiloProcess?[ports.Length];
    }

    public IReadOnlyList<SiloPorts> Ports { get; }

    public IEnumerable<int> ApiPorts => Ports.Select(p => p.Api);

    public SiloProcess? this[int index] => _members[index];

    /// <param name="settings">Every setting of one member, given its ports (the same cluster id for all).</param>
    public static async Task<LocalCluster> StartAsync(int size, Func<SiloPorts, IDictionary<string, string?>> settings)
    {
        var cluster = new LocalCluster(settings, Enumerable.Range(0, size).Select(_ => SiloPorts.Free()).ToArray());
        try
        {
            // The first silo creates the membership table; the others join it.
            await cluster.StartMemberAsync(0);
            await Task.WhenAll(Enumerable.Range(1, size - 1).Select(cluster.StartMemberAsync));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async Task StartMemberAsync(int index)
    {
        if (_members[index] is { } old)
        {
            await old.DisposeAsync();
        }

        _members[index] = await SiloProcess.StartAsync(_settings(Ports[index]), Ports[index].Api, TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL one member; returns when the process is gone.</summary>
    public async Task KillMemberAsync(int index)
    {
        if (_members[index] is { } member)
        {
            await member.KillAsync();
        }
    }

    /// <summary>SIGTERM one member and wait for its clean shutdown.</summary>
    public async Task StopMemberAsync(int index, TimeSpan grace)
    {
        if (_members[index] is { } member)
        {
            await member.TerminateAsync(grace);
        }
    }

    /// <summary>Waits until the membership table lists exactly these silo ports as active; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForActiveAsync(MembershipTable table, IEnumerable<int> siloPorts, TimeSpan timeout)
    {
        var expected = siloPorts.ToHashSet();
        var clock = Stopwatch.StartNew();
        while (!(await table.ActivePortsAsync()).SetEquals(expected))
        {
            if (clock.Elapsed > timeout)
            {
                var rows = await table.ReadAsync();
                throw new TimeoutException($"The cluster did not reach active silos [{string.Join(", ", expected)}] in {timeout}: " +
                    string.Join("; ", rows.Select(r => $"{r.Port} {r.Status}")));
            }

            await Task.Delay(100);
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.Where(m => m is not null).Select(m => m!.DisposeAsync().AsTask()));
    }
}
