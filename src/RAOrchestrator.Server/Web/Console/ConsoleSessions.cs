using System.Security.Cryptography;
using System.Text;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Server.Grpc;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>A session on the console, with why each person waiting could not be admitted now (by participant id; absent: Admit would let them in).</summary>
public sealed record ConsoleLobby(SessionView Session, IReadOnlyDictionary<string, SessionRefusal> Refusals);

/// <summary>
/// The sessions a console user may act in: read through the user's own index of open sessions (which each session
/// keeps for its organizer and delegated admitters, <see cref="ResourceName.AdmitterSessionIndex"/>), as the tenant's
/// managing partner, keeping the upcoming and live ones the user organizes or admits for. The index may still name a
/// session that closed (removed here as it is read) or one never stored (skipped).
/// </summary>
public sealed class ConsoleSessions(IGrainFactory grains)
{
    private const int PageSize = 100;
    private const int MaxPages = 10;

    /// <summary>The partner that manages the tenant today; null when none does.</summary>
    public Task<string?> OwnerAsync(string tenantId) => grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).GetOwnerAsync();

    /// <summary>The user's upcoming and live sessions, soonest first, each with its admission preview.</summary>
    public async Task<IReadOnlyList<ConsoleLobby>> MineAsync(ConsoleUser user, string owner) =>
        await WithRefusalsAsync(user, owner, await OpenAsync(user, owner));

    /// <summary>The sessions with their admission previews.</summary>
    public async Task<IReadOnlyList<ConsoleLobby>> WithRefusalsAsync(ConsoleUser user, string owner, IEnumerable<SessionView> views) =>
        await Task.WhenAll(views.Select(view => WithRefusalsAsync(user, owner, view)));

    /// <summary>The user's upcoming and live sessions, soonest first.</summary>
    public async Task<IReadOnlyList<SessionView>> OpenAsync(ConsoleUser user, string owner)
    {
        var index = grains.GetGrain<IKeyIndexGrain>(ResourceName.AdmitterSessionIndex(user.TenantId, user.UserId));
        var mine = new List<SessionView>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var keys = await index.ListAsync(after, PageSize);
            var (views, _) = await IndexPage.ResolveAsync(keys, id => Grain(user.TenantId, id).TryGetAsync(owner));
            foreach (var view in views)
            {
                if (IsOpen(view) && IsAdmitter(view, user))
                {
                    mine.Add(view);
                }
                else
                {
                    // Closed (the session's own removal was cut short) or, its id reused, another's session: off this list.
                    await index.RemoveAsync(IdOf(view));
                }
            }

            if (!keys.HasMore || keys.Keys.Count == 0)
            {
                break;
            }

            after = keys.Keys[^1];
        }

        return [.. mine.OrderBy(v => v.Start).ThenBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>The session when the user may see its lobby (its organizer or a delegated admitter); null otherwise.</summary>
    public async Task<SessionView?> OneAsync(ConsoleUser user, string owner, string sessionId) =>
        await Grain(user.TenantId, sessionId).TryGetAsync(owner) is { } view && IsAdmitter(view, user) ? view : null;

    public ISessionGrain Grain(string tenantId, string sessionId) =>
        grains.GetGrain<ISessionGrain>($"{ResourceName.Tenant(tenantId)}/sessions/{sessionId}");

    /// <summary>The signed-in user as the session rules see an actor: a user of the session's tenant.</summary>
    public static PersonRef Actor(ConsoleUser user) => new(PersonKind.TenantUser, user.TenantId, user.UserId, null, null);

    public static string IdOf(SessionView session) => session.Name[(session.Name.LastIndexOf('/') + 1)..];

    /// <summary>What the console's list shows of the sessions (which ones, upcoming or live), as a short token the page polls with.</summary>
    public static string Fingerprint(IEnumerable<SessionView> sessions) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sessions.Select(s => $"{IdOf(s)}:{s.Status}")))))[..16];

    /// <summary>Asks the session, with the user as the actor, whether each person waiting could be admitted now (only when someone waits).</summary>
    public Task<ConsoleLobby> WithRefusalsAsync(ConsoleUser user, string owner, SessionView view) =>
        PreviewAsync(Grain(user.TenantId, IdOf(view)), owner, Actor(user), view);

    /// <summary>
    /// The session with why each person waiting could not be admitted now by <paramref name="actor"/> (null: the managing
    /// partner, as its staff act), asked of the session itself, which decides with Admit's own rule.
    /// </summary>
    public static async Task<ConsoleLobby> PreviewAsync(ISessionGrain session, string owner, PersonRef? actor, SessionView view)
    {
        if (!view.Participants.Any(p => p.Status == ParticipantStatus.InLobby))
        {
            return new ConsoleLobby(view, new Dictionary<string, SessionRefusal>());
        }

        IReadOnlyList<AdmissionCheck> checks;
        try
        {
            checks = await session.PreviewAdmissionsAsync(owner, actor);
        }
        catch (OrchestratorException)
        {
            checks = []; // the session went away since it was read: the buttons stay, and a click is answered by Admit itself
        }

        return new ConsoleLobby(view, checks.Where(c => c.Refusal is not null).ToDictionary(c => c.ParticipantId, c => c.Refusal!, StringComparer.Ordinal));
    }

    private static bool IsOpen(SessionView session) => session.Status is SessionStatus.Scheduled or SessionStatus.Active;

    private static bool IsAdmitter(SessionView session, ConsoleUser user) =>
        string.Equals(session.Organizer.UserId, user.UserId, StringComparison.OrdinalIgnoreCase)
        || session.DelegatedAdmitterUserIds.Contains(user.UserId, StringComparer.OrdinalIgnoreCase);
}
