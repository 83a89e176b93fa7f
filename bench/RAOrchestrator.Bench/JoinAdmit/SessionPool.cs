using Grpc.Core;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// The sessions one join-and-admit scenario fills, scheduled on the host in whole blocks (ids <c>{prefix}{i}</c>):
/// consecutive round trips go to different sessions of a block, so concurrent callers rarely queue on one grain, and
/// each session takes <see cref="ServerRoles.ParticipantsPerSession"/> guests.
/// </summary>
public sealed class SessionPool(ChildProcess host, string tenant, int block, string prefix = ServerRoles.DefaultPrefix)
{
    private readonly List<string> _names = [];
    private long _nextSlot;

    /// <summary>One round trip into the next free place of a scheduled session.</summary>
    public async Task JoinAndAdmitAsync(SessionService.SessionServiceClient sessions, Metadata headers)
    {
        var slot = Interlocked.Increment(ref _nextSlot) - 1;
        var index = ServerRoles.SessionIndex(slot, block);
        if (index >= _names.Count)
        {
            throw new InvalidOperationException($"out of scheduled sessions ({_names.Count}) at slot {slot}");
        }

        await ServerRoles.JoinAndAdmitAsync(sessions, _names[index], slot, headers);
    }

    /// <summary>Schedules (through the API, on the host) enough whole blocks of sessions for <paramref name="pairs"/> more round trips.</summary>
    public async Task EnsureAsync(long pairs)
    {
        var perBlock = (long)ServerRoles.ParticipantsPerSession * block;
        var blocks = (Interlocked.Read(ref _nextSlot) + pairs + perBlock - 1) / perBlock;
        var total = (int)(blocks * block);
        if (total <= _names.Count)
        {
            return;
        }

        var result = await host.AskAsync(new { cmd = "schedule", total, prefix });
        for (var i = _names.Count; i < total; i++)
        {
            _names.Add(ServerRoles.SessionName(tenant, i, prefix));
        }

        Console.Error.WriteLine($"scheduled {result["added"]} sessions {prefix}* through the API in {(double)result["seconds"]!:0.0} s (now {result["total"]})");
    }
}
