using Grpc.Core;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Grpc;

/// <summary>IssueSignInPass: a Temporary Access Pass for the account's user, mailed as a one-time link to the vendor contact or returned once.</summary>
public sealed partial class ServiceAccountGrpcService
{
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

        var tenant = await TenantAsync(context, tenantId);
        var account = grains.GetGrain<IServiceAccountGrain>(request.Name);
        var delivery = request.Delivery == Delivery.Return ? PassDelivery.Return : PassDelivery.Mail;
        var mailing = delivery == PassDelivery.Mail
            ? new PassMailing(tenant.Settings.MailSender ?? string.Empty, tenant.DisplayName, links.Absolute(WebLinks.PassPath))
            : null;
        var ask = new SignInPassAsk(lifetime is { } minutes ? (int)minutes.TotalMinutes : null, request.HasUsableOnce ? request.UsableOnce : null, delivery, mailing);
        var requestKey = RequestKey.Of(context.Caller().PartnerId, request.RequestId) ?? string.Empty;
        return SignInPassMapping.ToProto(await account.IssueSignInPassAsync(requestKey, ask));
    }
}
