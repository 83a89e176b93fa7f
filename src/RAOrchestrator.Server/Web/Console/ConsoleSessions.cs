using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Server.Grpc;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>
/// The sessions a console user may act in: read through the tenant's session index (the one ListSessions reads), as
/// the tenant's managing partner, keeping the upcoming and live ones whose organizer or delegated admitter the user is.
/// </summary>
public sealed class ConsoleSessions(IGrainFactory grains)
{
    private const int PageSize = 100;
    private const int MaxPages = 10;

    /// <summary>The partner that manages the tenant today; null when none does.</summary>
    public Task<string?> OwnerAsync(string tenantId) => grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).GetOwnerAsync();

    public async Task<IReadOnlyList<SessionView>> MineAsync(ConsoleUser user, string owner)
    {
        var index = grains.GetGrain<IKeyIndexGrain>(ResourceName.SessionIndex(user.TenantId));
        var mine = new List<SessionView>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var keys = await index.ListAsync(after, PageSize);
            var (views, _) = await IndexPage.ResolveAsync(keys, id => Grain(user.TenantId, id).TryGetAsync(owner));
            mine.AddRange(views.Where(v => IsOpen(v) && IsAdmitter(v, user)));
            if (!keys.HasMore || keys.Keys.Count == 0)
            {
                break;
            }

            after = keys.Keys[^1];
        }

        return [.. mine.OrderBy(v => v.Start)];
    }

    /// <summary>The session when the user may see its lobby (its organizer or a delegated admitter); null otherwise.</summary>
    public async Task<SessionView?> OneAsync(ConsoleUser user, string owner, string sessionId) =>
        await Grain(user.TenantId, sessionId).TryGetAsync(owner) is { } view && IsAdmitter(view, user) ? view : null;

    public ISessionGrain Grain(string tenantId, string sessionId) =>
        grains.GetGrain<ISessionGrain>($"{ResourceName.Tenant(tenantId)}/sessions/{sessionId}");

    /// <summary>The signed-in user as the session rules see an actor: a user of the session's tenant.</summary>
    public static PersonRef Actor(ConsoleUser user) => new(PersonKind.TenantUser, user.TenantId, user.UserId, null, null);

    public static string IdOf(SessionView session) => session.Name[(session.Name.LastIndexOf('/') + 1)..];

    private static bool IsOpen(SessionView session) => session.Status is SessionStatus.Scheduled or SessionStatus.Active;

    private static bool IsAdmitter(SessionView session, ConsoleUser user) =>
        string.Equals(session.Organizer.UserId, user.UserId, StringComparison.OrdinalIgnoreCase)
        || session.DelegatedAdmitterUserIds.Contains(user.UserId, StringComparer.OrdinalIgnoreCase);
}
