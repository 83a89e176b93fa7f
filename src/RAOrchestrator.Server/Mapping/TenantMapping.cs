using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Server.Web;
using OwnershipEvent = RAOrchestrator.Contracts.V1.OwnershipEvent;

namespace RAOrchestrator.Server.Mapping;

public static class TenantMapping
{
    public static Tenant ToProto(this TenantView view, WebLinks links)
    {
        var tenant = new Tenant
        {
            Name = ResourceName.Tenant(view.TenantId),
            TenantId = view.TenantId,
            DisplayName = view.DisplayName,
            State = view.Lifecycle switch
            {
                TenantLifecycle.Onboarding => Tenant.Types.State.Onboarding,
                TenantLifecycle.Active => Tenant.Types.State.Active,
                TenantLifecycle.NeedsAttention => Tenant.Types.State.NeedsAttention,
                TenantLifecycle.Offboarding => Tenant.Types.State.Offboarding,
                TenantLifecycle.AwaitingApproval => Tenant.Types.State.AwaitingApproval,
                _ => Tenant.Types.State.Unspecified,
            },
            Operation = view.OperationId.Length == 0 ? string.Empty : ResourceName.Operation(view.OperationId),
            CreateTime = Timestamp.FromDateTimeOffset(view.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdateTime),
            Etag = Etag.Format(view.Version),
            MeetingSettings = view.Settings.Meetings.ToProto(),
            LicensePlan = view.Settings.Licences.ToProto(),
            MailSender = view.Settings.MailSender ?? string.Empty,
            Readiness = view.Readiness?.ToProto(),
            ApprovalUri = links.Absolute(view.ApprovalPath),
            ApprovalExpireTime = view.ApprovalExpireTime is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
        };
        tenant.OwnershipHistory.AddRange((view.OwnershipHistory ?? []).Select(ToProto));
        tenant.ExternalAccessAllowedTenants.AddRange(view.Settings.ExternalAccessAllowedTenants);
        tenant.VerifiedDomains.AddRange(view.VerifiedDomains);
        return tenant;
    }

    private static OwnershipEvent ToProto(Domain.Tenants.Ownership.OwnershipEvent entry) => new()
    {
        Time = Timestamp.FromDateTimeOffset(entry.Time),
        Kind = entry.Kind switch
        {
            OwnershipEventKind.Claimed => OwnershipEvent.Types.Kind.Claimed,
            OwnershipEventKind.Approved => OwnershipEvent.Types.Kind.Approved,
            OwnershipEventKind.Declined => OwnershipEvent.Types.Kind.Declined,
            OwnershipEventKind.Superseded => OwnershipEvent.Types.Kind.Superseded,
            OwnershipEventKind.Expired => OwnershipEvent.Types.Kind.Expired,
            OwnershipEventKind.Released => OwnershipEvent.Types.Kind.Released,
            OwnershipEventKind.Withdrawn => OwnershipEvent.Types.Kind.Withdrawn,
            _ => OwnershipEvent.Types.Kind.Unspecified,
        },
        PartnerId = entry.PartnerId,
        AdminUserPrincipalName = entry.Admin?.UserPrincipalName ?? string.Empty,
        AdminObjectId = entry.Admin?.ObjectId ?? string.Empty,
    };
}
