using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// Every grain that holds a tenant's data (service accounts, the seat ledger, barriers and their checks, sessions,
/// their indexes: every grain keyed under <c>tenants/{tenant}/…</c> or by the tenant's name, except the tenant grain
/// itself, which answers claims) checks on each call that comes from the API that the calling partner owns the tenant
/// now. So a tenant handed to another partner stops answering the previous one at once, whichever door a call took;
/// calls between grains (a session reading another tenant's federation facts, a workflow) are the grains' own business.
/// Sessions check the owner themselves on every call (and again when a watch wakes), so they are not checked twice.
/// </summary>
public sealed class TenantOwnershipFilter(IGrainFactory grains) : IIncomingGrainCallFilter
{
    private static readonly GrainType Tenant = GrainType.Create("tenant");
    private static readonly GrainType Session = GrainType.Create("session");

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (FromApi(context) && DirectoryCaller.Current() is { Length: > 0 } partner
            && context.TargetId.Type != Tenant && context.TargetId.Type != Session && ResourceName.TenantOf(context.TargetId.Key.ToString()) is { } tenantId
            && await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).GetOwnerAsync() != partner)
        {
            throw OrchestratorException.NotFound(context.TargetId.Key.ToString()!);
        }

        await context.Invoke();
    }

    /// <summary>A call made by the host's client (the API and its pages), not by another grain or the runtime.</summary>
    private static bool FromApi(IIncomingGrainCallContext context) => context.SourceId is not { } source || GrainTypePrefix.IsClient(source);
}
