using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>The upcoming and live sessions of one managed tenant, for a partner's staff.</summary>
public sealed record StaffTenantSessions(string TenantId, string DisplayName, IReadOnlyList<ConsoleLobby> Sessions);

/// <summary>
/// What a managing partner's staff member sees on the lobby console: the upcoming and live sessions of every tenant the
/// partner manages, read as the partner (the tenants through the partner's index, the sessions through each tenant's
/// session index, as ListTenants and ListSessions read them). Every read first asks the tenant who manages it now: a
/// tenant another partner manages, or none, is never shown, watched or acted on, whatever the indexes still hold.
/// </summary>
public sealed class StaffSessions(IGrainFactory grains)
{
    private const int PageSize = 100;
    private const int MaxTenantPages = 5;
    private const int MaxSessionPages = 10;

    /// <summary>Whether <paramref name="partnerId"/> manages the tenant now (the tenant grain's owner).</summary>
    public async Task<bool> ManagesAsync(string partnerId, string tenantId) =>
        await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).GetOwnerAsync() == partnerId;

    /// <summary>Each managed tenant with open sessions, by display name, its sessions by start time.</summary>
    public async Task<IReadOnlyList<StaffTenantSessions>> OpenAsync(string partnerId)
    {
        var tenants = await ResolveAsync(grains.GetGrain<IPartnerGrain>(ResourceName.Partner(partnerId)).ListTenantsAsync, MaxTenantPages,
            tenantId => OfTenantAsync(partnerId, tenantId));
        return [.. tenants.Where(t => t.Sessions.Count > 0).OrderBy(t => t.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The session when the partner manages its tenant now; null otherwise (or when there is no such session).</summary>
    public async Task<SessionView?> OneAsync(string partnerId, string tenantId, string sessionId) =>
        await ManagesAsync(partnerId, tenantId) ? await Grain(tenantId, sessionId).TryGetAsync(partnerId) : null;

    /// <summary>The session with why each person waiting could not be admitted now by the partner (its staff act as the partner).</summary>
    public Task<ConsoleLobby> PreviewAsync(string partnerId, string tenantId, SessionView view) =>
        ConsoleSessions.PreviewAsync(Grain(tenantId, ConsoleSessions.IdOf(view)), partnerId, null, view);

    public ISessionGrain Grain(string tenantId, string sessionId) =>
        grains.GetGrain<ISessionGrain>($"{ResourceName.Tenant(tenantId)}/sessions/{sessionId}");

    /// <summary>The tenant's path segment on the staff console, and its session's.</summary>
    public static string PathOf(string tenantId, SessionView session) =>
        $"{WebLinks.StaffConsolePrefix}/tenants/{tenantId}/sessions/{ConsoleSessions.IdOf(session)}";

    private async Task<StaffTenantSessions?> OfTenantAsync(string partnerId, string tenantId)
    {
        if (!await ManagesAsync(partnerId, tenantId) || await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).TryGetAsync(partnerId) is not { } tenant)
        {
            return null;
        }

        var sessions = await ResolveAsync(grains.GetGrain<IKeyIndexGrain>(ResourceName.SessionIndex(tenantId)).ListAsync, MaxSessionPages,
            sessionId => Grain(tenantId, sessionId).TryGetAsync(partnerId));
        var open = sessions.Where(v => v.Status is SessionStatus.Scheduled or SessionStatus.Active).OrderBy(v => v.Start);
        return new StaffTenantSessions(tenantId, tenant.DisplayName, await Task.WhenAll(open.Select(v => PreviewAsync(partnerId, tenantId, v))));
    }

    /// <summary>What an index's keys lead to, a page at a time (each page's keys in parallel), up to <paramref name="maxPages"/> pages; nulls skipped.</summary>
    private static async Task<List<T>> ResolveAsync<T>(Func<string?, int, Task<KeyPage>> list, int maxPages, Func<string, Task<T?>> fetch)
        where T : class
    {
        var found = new List<T>();
        string? after = null;
        for (var page = 0; page < maxPages; page++)
        {
            var keys = await list(after, PageSize);
            found.AddRange((await Task.WhenAll(keys.Keys.Select(fetch))).OfType<T>());
            if (!keys.HasMore || keys.Keys.Count == 0)
            {
                break;
            }

            after = keys.Keys[^1];
        }

        return found;
    }
}
