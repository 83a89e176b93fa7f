using Grpc.Core;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Grpc;

/// <summary>IssueSignInPass: a Temporary Access Pass for the account's user, returned once (mail delivery comes later).</summary>
public sealed partial class ServiceAccountGrpcService
{
    public const string DeliveryNotAvailable = "DELIVERY_NOT_AVAILABLE";

    /// <summary>Entra's widest lifetime bounds (10 minutes to 30 days); the tenant's policy narrows them.</summary>
    private static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    [RequiresRole(PartnerRole.Write)]
    public override async Task<IssueSignInPassResponse> IssueSignInPass(IssueSignInPassRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, _) = ResourceName.ParseTenantChild(request.Name, Collection, violations);
        var lifetime = ProtoTime.Read(request.Lifetime, MinLifetime, MaxLifetime, "whole minutes from 10 minutes to 30 days", violations, "lifetime");
        if (lifetime is { } given && given.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            violations.Add("lifetime", "must be whole minutes from 10 minutes to 30 days");
        }

        if (!System.Enum.IsDefined(request.Delivery))
        {
            violations.Add("delivery", "must be DELIVERY_MAIL (the default) or DELIVERY_RETURN");
        }

        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var account = grains.GetGrain<IServiceAccountGrain>(request.Name);
        if (request.Delivery != Delivery.Return)
        {
            // Checked after the tenant, so another partner's account is NOT_FOUND rather than this.
            _ = await account.TryGetAsync() ?? throw OrchestratorException.NotFound(request.Name);
            throw new OrchestratorException(ErrorKind.Unimplemented, DeliveryNotAvailable,
                "Mail delivery of sign-in passes is not available yet; use delivery DELIVERY_RETURN and hand the pass to the vendor's expert yourself.",
                [new FieldViolation("delivery", "DELIVERY_MAIL is not available yet; use DELIVERY_RETURN")]);
        }

        var ask = new SignInPassAsk(lifetime is { } minutes ? (int)minutes.TotalMinutes : null, request.HasUsableOnce ? request.UsableOnce : null, PassDelivery.Return);
        var requestKey = RequestKey.Of(context.Caller().PartnerId, request.RequestId) ?? string.Empty;
        return SignInPassMapping.ToProto(await account.IssueSignInPassAsync(requestKey, ask));
    }
}
