using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Server.Mapping;

public static class TenantMapping
{
    public static Tenant ToProto(this TenantView view)
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
                _ => Tenant.Types.State.Unspecified,
            },
            Operation = view.OperationId.Length == 0 ? string.Empty : ResourceName.Operation(view.OperationId),
            CreateTime = Timestamp.FromDateTimeOffset(view.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdateTime),
            Etag = Etag.Format(view.Version),
            MeetingSettings = view.Settings.Meetings.ToProto(),
            LicensePlan = view.Settings.Licences.ToProto(),
            Readiness = view.Readiness?.ToProto(),
        };
        tenant.ExternalAccessAllowedTenants.AddRange(view.Settings.ExternalAccessAllowedTenants);
        tenant.VerifiedDomains.AddRange(view.VerifiedDomains);
        return tenant;
    }
}
