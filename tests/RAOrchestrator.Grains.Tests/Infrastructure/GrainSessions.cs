using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>The people and the waiting the session grain tests share.</summary>
internal static class GrainSessions
{
    /// <summary>How long a test waits in real time for what the moved clock makes happen (it only ends a stuck test).</summary>
    public static readonly TimeSpan RealLimit = TimeSpan.FromSeconds(30);

    /// <summary>The vendor's expert, an anonymous guest.</summary>
    public static readonly PersonRef Guest = new(PersonKind.AnonymousGuest, null, null, "erin.expert@oem.example", "Erin Expert");

    /// <summary>A user of the session's tenant.</summary>
    public static PersonRef User(string userId) => new(PersonKind.TenantUser, null, userId, null, null);

    /// <summary>The first event after <paramref name="after"/>, waited for without moving the clock.</summary>
    public static async Task<SessionEvent> NextEventAsync(ISessionGrain session, string partner, long after)
    {
        var page = await session.WatchAsync(partner, after, 1, TimeSpan.FromDays(1)).WaitAsync(RealLimit);
        return Assert.Single(page!.Page.Events);
    }
}
