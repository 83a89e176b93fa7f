using System.Collections.Immutable;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>
/// Gathers, for one session grain, the outside facts its rules read: who the people named in a request are (the
/// directory of their tenant), the tenant's Teams settings, the organizer's licence, other tenants' external access,
/// and the information-barrier verdicts of every tenant involved. Directory answers about people are remembered for the activation; tenant settings are read each time.
/// </summary>
public sealed class SessionFacts(IGrainFactory grains, IDirectoryGateway directory, string tenantId)
{
    private readonly Dictionary<string, DirectoryUser> _users = new(StringComparer.Ordinal);

    /// <summary>An actor of an organizer-side action: the managing partner, or the person named.</summary>
    public SessionActor Actor(string partnerId, PersonRef? actor) =>
        actor is null ? SessionActor.Partner(partnerId) : SessionActor.Person(Unresolved(actor));

    /// <summary>
    /// The person without a directory lookup: its key and kind are right (all an actor check or a lookup by key
    /// compares); names and member-or-guest are not known yet.
    /// </summary>
    public Principal Unresolved(PersonRef person) => person.Kind switch
    {
        PersonKind.TenantUser => Principal.Member(tenantId, person.UserId!, person.UserId!),
        PersonKind.FederatedUser => Principal.FederatedUser(person.TenantId!, person.UserId!, person.UserId!),
        _ => Principal.AnonymousGuest(person.Email!, person.DisplayName ?? person.Email!),
    };

    /// <summary>The person as the rules see them; users are read from their tenant's directory.</summary>
    public async Task<Principal> ResolveAsync(PersonRef person, string field)
    {
        switch (person.Kind)
        {
            case PersonKind.AnonymousGuest:
                return Principal.AnonymousGuest(person.Email!, string.IsNullOrWhiteSpace(person.DisplayName) ? person.Email! : person.DisplayName);
            case PersonKind.TenantUser:
                {
                    var user = await UserAsync(tenantId, person.UserId!, field);
                    var email = user.Attributes.GetValueOrDefault("mail") ?? user.UserPrincipalName;
                    return string.Equals(user.UserType, "Guest", StringComparison.OrdinalIgnoreCase)
                        ? Principal.Guest(tenantId, user.Id, user.DisplayName, email)
                        : Principal.Member(tenantId, user.Id, user.DisplayName, email);
                }

            default:
                {
                    // Another tenant's directory is read only once both tenants are onboarded and allow each other; until
                    // then the rules refuse the person (EXTERNAL_ACCESS_BLOCKED) knowing nothing but the ids given.
                    if (person.TenantId == tenantId || !await MutuallyAllowedAsync(person.TenantId!))
                    {
                        return Principal.FederatedUser(person.TenantId!, person.UserId!, person.UserId!);
                    }

                    var user = await UserAsync(person.TenantId!, person.UserId!, field);
                    return Principal.FederatedUser(person.TenantId!, user.Id, user.DisplayName, user.Attributes.GetValueOrDefault("mail") ?? user.UserPrincipalName);
                }
        }
    }

    /// <summary>
    /// The facts for a decision about <paramref name="counterparts"/> meeting <paramref name="organizer"/>, with barrier
    /// verdicts for <paramref name="activity"/>. <paramref name="alsoCheckAgainst"/> are admitted participants the
    /// counterparts would meet too (admission checks them all).
    /// </summary>
    /// <param name="readLicence">
    /// Read the organizer's Remote Assist licence (scheduling only: no later rule reads it, so joins and admissions skip
    /// the seat ledger).
    /// </param>
    public async Task<SessionPolicyInputs> InputsAsync(TenantSettings settings, Principal organizer, IEnumerable<Principal> counterparts, BarrierActivity activity, IEnumerable<Principal>? alsoCheckAgainst = null, bool readLicence = false)
    {
        var people = counterparts.Where(p => p.Key != organizer.Key).DistinctBy(p => p.Key).ToList();
        var others = ImmutableDictionary.CreateBuilder<string, FederatedTenantFacts>(StringComparer.Ordinal);
        foreach (var other in people.Where(p => p.Kind == PrincipalKind.Federated && p.TenantId != tenantId).Select(p => p.TenantId!).Distinct())
        {
            others[other] = await TenantAsync(other);
        }

        var organizerFacts = await OrganizerAsync(settings, organizer, readLicence);
        var verdicts = BarrierVerdicts.None;
        var meets = (alsoCheckAgainst ?? []).Prepend(organizer).Where(p => p.IsAccount).DistinctBy(p => p.Key).ToList();
        foreach (var person in people.Where(p => p.IsAccount))
        {
            foreach (var other in meets.Where(o => o.Key != person.Key))
            {
                if (await BlockedAsync(person, other, activity) is { } why)
                {
                    verdicts = verdicts.Merge(BarrierVerdicts.Blocking(person.Key, why));
                    break;
                }
            }
        }

        var meetings = settings.Meetings;
        return new SessionPolicyInputs(
            new TenantMeetingSettings(tenantId, meetings.AnonymousJoin == Switch.Off, ExternalAccess(settings.ExternalAccessAllowedTenants)),
            organizerFacts,
            others.ToImmutable(),
            verdicts);
    }

    /// <summary>Whose Remote Assist licence, and which Teams policy, the organizer has.</summary>
    private async Task<OrganizerFacts> OrganizerAsync(TenantSettings settings, Principal organizer, bool readLicence)
    {
        var meetings = settings.Meetings;
        var policy = new OrganizerMeetingPolicy(
            meetings.OrganizerAnonymousJoin != Switch.Off,
            meetings.AutoAdmittedUsers ?? LobbyScope.Organization, // unconfirmed: the Teams default
            false);
        if (!readLicence)
        {
            // The session was scheduled with a licensed organizer; nothing after scheduling reads this.
            return new OrganizerFacts(organizer, true, policy);
        }

        if (organizer.Kind != PrincipalKind.TenantMember || organizer.UserId is null || !_users.TryGetValue(Key(tenantId, organizer.UserId), out var user))
        {
            return new OrganizerFacts(organizer, false, policy);
        }

        var inventory = (await grains.GetGrain<ISeatLedgerGrain>($"{ResourceName.Tenant(tenantId)}/seatLedger").SummaryAsync(refresh: false))
            .Select(s => new LicenceSku(s.SkuId, s.PartNumber, s.Enabled, s.Consumed, [])).ToList();
        var remoteAssist = LicenceCatalog.RemoteAssist(inventory, settings.Licences);
        var licensed = remoteAssist is not null && user.AssignedSkus.Contains(remoteAssist.SkuId);
        return new OrganizerFacts(organizer, licensed, policy);
    }

    /// <summary>
    /// Why <paramref name="person"/> may not meet <paramref name="other"/>, or null. Each tenant's barriers govern its
    /// own users: a pair in one tenant is checked there; across tenants each side's tenant checks its user against the
    /// outsider (who is in none of its segments). Anonymous guests are in no directory, so barriers do not apply to them.
    /// </summary>
    private async Task<string?> BlockedAsync(Principal person, Principal other, BarrierActivity activity)
    {
        foreach (var (tenant, a, b) in Pairs(person, other))
        {
            var (result, _) = await grains.GetGrain<IBarrierCheckGrain>(ResourceName.Tenant(tenant)).CheckAsync(a, b, activity);
            if (result is { Allowed: false })
            {
                return result.DecidingPolicy is { } policy ? $"{result.Message} (policy {policy})" : result.Message;
            }
        }

        return null;
    }

    private static IEnumerable<(string Tenant, string A, string B)> Pairs(Principal person, Principal other)
    {
        if (person.TenantId == other.TenantId)
        {
            yield return (person.TenantId!, other.UserId!, person.UserId!);
            yield break;
        }

        yield return (other.TenantId!, other.UserId!, Outsider(person));
        yield return (person.TenantId!, person.UserId!, Outsider(other));
    }

    private static string Outsider(Principal p) => $"external:{p.TenantId}/{p.UserId}";

    private static ExternalAccessPolicy ExternalAccess(IReadOnlyList<string> allowed) => ExternalAccessPolicy.AllowOnly([.. allowed]);

    private async Task<bool> MutuallyAllowedAsync(string otherTenantId)
    {
        var ours = await TenantAsync(tenantId);
        if (!ours.Onboarded || !ours.ExternalAccess.Allows(otherTenantId))
        {
            return false;
        }

        var theirs = await TenantAsync(otherTenantId);
        return theirs.Onboarded && theirs.ExternalAccess.Allows(tenantId);
    }

    private async Task<FederatedTenantFacts> TenantAsync(string otherTenantId)
    {
        // Not remembered: an allow list closed a moment ago must close the next decision.
        var federation = await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(otherTenantId)).GetFederationFactsAsync();
        return new FederatedTenantFacts(otherTenantId, federation.Active, ExternalAccess(federation.ExternalAccessAllowedTenants));
    }

    private async Task<DirectoryUser> UserAsync(string tenant, string userId, string field)
    {
        var key = Key(tenant, userId);
        if (!_users.TryGetValue(key, out var user))
        {
            user = await directory.GetUserAsync(tenant, userId) ?? throw new OrchestratorException(ErrorKind.FailedPrecondition, "USER_NOT_FOUND",
                $"Tenant {tenant} has no user {OrchestratorException.Quote(userId)}.", [new FieldViolation(field, "names no user of that tenant")]);
            _users[key] = user;
        }

        if (!user.AccountEnabled)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "USER_DISABLED",
                $"User {user.UserPrincipalName} is disabled and cannot take part in a session.", [new FieldViolation(field, "names a disabled account")]);
        }

        return user;
    }

    private static string Key(string tenant, string userId) => $"{tenant}/{userId}";
}
