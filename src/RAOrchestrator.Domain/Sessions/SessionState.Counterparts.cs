using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>Who the organizer side may meet: identity fields, tenants, external access, anonymous join, information barriers.</summary>
public sealed partial record SessionState
{
    /// <summary>Identity fields that must be present for each kind.</summary>
    private static SessionRefusal? CheckIdentity(Principal who, string field)
    {
        var violations = new List<FieldViolation>();
        CheckText(who.DisplayName, 256, SessionFields.Of(field, nameof(Principal.DisplayName)), violations);
        switch (who.Kind)
        {
            case PrincipalKind.Anonymous:
                if (!EmailAddress.IsValid(who.Email))
                {
                    violations.Add(new(SessionFields.Of(field, nameof(Principal.Email)), "must be the e-mail address the guest was invited at"));
                }

                break;
            case PrincipalKind.TenantMember or PrincipalKind.TenantGuest or PrincipalKind.Federated:
                if (string.IsNullOrWhiteSpace(who.TenantId) || string.IsNullOrWhiteSpace(who.UserId))
                {
                    violations.Add(new(SessionFields.Of(field, nameof(Principal.UserId)), "a user needs its tenant id and user id"));
                }

                break;
            case PrincipalKind.DialIn:
                break;
            default:
                violations.Add(new(SessionFields.Of(field, nameof(Principal.Kind)), "is not a known kind of participant"));
                break;
        }

        return violations.Count == 0
            ? null
            : SessionRefusal.Of(SessionReasons.InvalidArgument, string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")), violations);
    }

    /// <summary>Tenant, external-access, anonymous-join and barrier rules for someone the organizer side meets.</summary>
    private static SessionRefusal? CheckCounterpart(Principal who, SessionPolicyInputs inputs, string field)
    {
        var tenant = inputs.Tenant.TenantId;
        switch (who.Kind)
        {
            case PrincipalKind.DialIn:
                return SessionRefusal.Of(SessionReasons.InvalidArgument, "Phone numbers cannot be invited to or join a Remote Assist session.", [new(field, "must be a person, not a phone number")]);
            case PrincipalKind.TenantMember or PrincipalKind.TenantGuest when who.TenantId != tenant:
                return SessionRefusal.Of(SessionReasons.IdentityTenantMismatch, $"'{who.DisplayName}' is not in the session's tenant; a user of another tenant joins as a federated user.", [new(field, "tenant does not match the session's tenant")]);
            case PrincipalKind.Federated when who.TenantId == tenant:
                return SessionRefusal.Of(SessionReasons.IdentityTenantMismatch, $"'{who.DisplayName}' is a user of the session's own tenant, not a federated user.", [new(field, "tenant is the session's own tenant")]);
            case PrincipalKind.Federated:
                if (!inputs.Tenant.ExternalAccess.Allows(who.TenantId!))
                {
                    return SessionRefusal.Of(SessionReasons.ExternalAccessBlocked, $"External access of the session's tenant does not allow tenant {who.TenantId}, so its users cannot meet across them.", [new(field, "external access blocks this tenant pair")]);
                }

                // Whether the other tenant is onboarded here, or does not allow this one, is its business: one answer
                // for both, naming neither its state nor its user.
                if (!inputs.OtherTenants.TryGetValue(who.TenantId!, out var other) || !other.Onboarded || !other.ExternalAccess.Allows(tenant))
                {
                    return SessionRefusal.Of(SessionReasons.ExternalAccessBlocked, $"Tenant {who.TenantId} does not accept meetings with the session's tenant through this service: it must be onboarded here and allow this tenant in its external access. Invite the person by e-mail as a guest instead.", [new(field, "external access blocks this tenant pair")]);
                }

                break;
            case PrincipalKind.Anonymous when !inputs.AnonymousJoinAllowed:
                var which = inputs.Tenant.DisableAnonymousJoin ? "the tenant disables anonymous join (DisableAnonymousJoin)" : "the organizer's meeting policy does not allow anonymous users (AllowAnonymousUsersToJoinMeeting)";
                return SessionRefusal.Of(SessionReasons.AnonymousJoinDisabled, $"'{who.Email}' is outside the tenant and would join anonymously, but {which}.", [new(field, "anonymous join is disabled")]);
        }

        return inputs.Barriers.IsBlocked(who.Key, out var why)
            ? SessionRefusal.Of(SessionReasons.InformationBarrier, $"Information barriers prevent the organizer from meeting '{who.DisplayName}': {why}", [new(field, "blocked by information barriers")])
            : null;
    }

    private static SessionRefusal? CheckInvitees(IReadOnlyList<Principal> invitees, SessionPolicyInputs inputs, string organizerKey)
    {
        SessionRefusal? first = null;
        var violations = new List<FieldViolation>();
        for (var i = 0; i < invitees.Count; i++)
        {
            var field = SessionFields.Invitee(i);
            var p = invitees[i];
            var r = p.Kind == PrincipalKind.DialIn
                ? SessionRefusal.Of(SessionReasons.InvalidArgument, "Phone numbers cannot be invited.", [new(field, "must be a person")])
                : CheckIdentity(p, field) ?? (p.Key == organizerKey ? null : CheckCounterpart(p, inputs, field));
            if (r is not null)
            {
                first ??= r;
                violations.Add(new(field, $"{r.Reason}: {r.Message}"));
            }
        }

        return first is null ? null : first with { Violations = violations };
    }
}
