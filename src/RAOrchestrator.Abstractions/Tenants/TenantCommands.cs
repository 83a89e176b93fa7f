using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>Start onboarding a tenant for a partner.</summary>
[GenerateSerializer, Immutable, Alias("raorch.CreateTenant")]
public sealed record CreateTenant(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string RequestId,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] TenantSettings Settings);

/// <summary>Change a tenant's settings (null: unchanged; an empty MailSender clears it); ExpectedVersion, when set, must match.</summary>
[GenerateSerializer, Immutable, Alias("raorch.UpdateTenant")]
public sealed record UpdateTenant(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string RequestId,
    [property: Id(2)] long? ExpectedVersion,
    [property: Id(3)] string? DisplayName,
    [property: Id(4)] MeetingSettings? Meetings,
    [property: Id(5)] LicencePlan? Licences,
    [property: Id(6)] IReadOnlyList<string>? ExternalAccessAllowedTenants,
    [property: Id(7)] string? MailSender = null);

/// <summary>Run the readiness checks again.</summary>
[GenerateSerializer, Immutable, Alias("raorch.CheckTenantReadiness")]
public sealed record CheckTenantReadiness(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string RequestId);

/// <summary>Start offboarding a tenant; ExpectedVersion, when set, must match.</summary>
[GenerateSerializer, Immutable, Alias("raorch.DeleteTenant")]
public sealed record DeleteTenant(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string RequestId,
    [property: Id(2)] long? ExpectedVersion);

/// <summary>A tenant and the operation that is onboarding it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantCreated")]
public sealed record TenantCreated(
    [property: Id(0)] TenantView Tenant,
    [property: Id(1)] OperationView Operation);
