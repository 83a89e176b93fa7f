using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>
/// The session a join link names, seen as its managing partner (the tenant's owner) sees it: the page makes the calls
/// the partner's API would, for the partner that manages the session. Null for anything else, so a wrong, foreign or
/// closed-out name reveals nothing.
/// </summary>
public sealed record GateSession(string Name, string PartnerId, SessionView View, string TenantName)
{
    private const int MaxNameLength = 200;

    public ISessionGrain Grain(IGrainFactory grains) => grains.GetGrain<ISessionGrain>(Name);

    /// <summary>The session the request's <c>session</c> query names; its name goes on the request's span once found.</summary>
    public static async Task<GateSession?> FindAsync(HttpContext http, IGrainFactory grains)
    {
        var session = http.Request.Query["session"].ToString();
        if (session is not { Length: > 0 and <= MaxNameLength })
        {
            return null;
        }

        var violations = new Violations();
        var (tenantId, id) = ResourceName.ParseTenantChild(session, "sessions", violations);
        if (violations.Any || tenantId.Length == 0)
        {
            return null;
        }

        var tenant = grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId));
        if (await tenant.GetOwnerAsync() is not { } partner)
        {
            return null;
        }

        var name = $"{ResourceName.Tenant(tenantId)}/sessions/{id}";
        var view = await grains.GetGrain<ISessionGrain>(name).TryGetAsync(partner);
        var tenantView = view is null ? null : await tenant.TryGetAsync(partner);
        if (view is null || tenantView is null)
        {
            return null;
        }

        PageActions.Session(http, name);
        return new GateSession(name, partner, view, tenantView.DisplayName);
    }
}
