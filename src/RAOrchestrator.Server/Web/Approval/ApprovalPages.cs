using System.Globalization;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Server.Web.Approval;

/// <summary>What the administrator reads on the approval page, before and after deciding.</summary>
public static class ApprovalPages
{
    public static string Ask(ApprovalRequest request, string appClientId, string csrf) => $"""
        <h1>A partner asks to manage your organization</h1>
        <p>The managed service provider <strong>{Html.E(request.PartnerId)}</strong> asks to manage your Microsoft 365
        organization for Dynamics 365 Remote Assist through RAOrchestrator.</p>
        <dl>
          <dt>Organization (tenant id)</dt><dd>{Html.E(request.TenantId)}</dd>
          <dt>Named by the partner</dt><dd>{Html.E(request.DisplayName)}</dd>
          <dt>Partner</dt><dd>{Html.E(request.PartnerId)}</dd>
          <dt>App</dt><dd>{Html.E(appClientId)}</dd>
          <dt>Request expires</dt><dd>{When(request.ExpireTime)}</dd>
        </dl>
        <p>If you approve, this partner (and no other) can, through the app:</p>
        <ul>
          <li>read your organization, its verified domains and its licence inventory;</li>
          <li>create service accounts for vendors' experts, give them licences, and remove them again;</li>
          <li>search your directory on behalf of your users, as information barriers allow;</li>
          <li>schedule Teams meetings for Remote Assist sessions and send their invitations;</li>
          <li>prepare information-barrier definitions and Teams settings as PowerShell for you to run.</li>
        </ul>
        <p class="note">Only a Global Administrator or a Privileged Role Administrator of this organization can decide.
        You will sign in with your work account; if the app was never approved in your organization, you will also be
        asked to consent for it. If another partner manages your organization today, approving hands it to this one.</p>
        <form method="post" class="actions">
          <input type="hidden" name="csrf" value="{Html.E(csrf)}">
          <button type="submit" name="decision" value="approve" class="primary">Sign in and approve</button>
          <button type="submit" name="decision" value="decline" class="secondary">Sign in and decline</button>
        </form>
        """;

    public static string Decided(ApprovalRequest request) => $"""
        <h1>This request is no longer waiting</h1>
        <p class="outcome">The request of <strong>{Html.E(request.PartnerId)}</strong> to manage organization {Html.E(request.TenantId)}
        was {Status(request.Status)}.</p>
        <p>Nothing more to do here. If this is unexpected, ask the partner for a new approval link.</p>
        """;

    public static string Outcome(ClaimDecided decided, TenantAdmin admin) => decided.Status == ClaimStatus.Approved
        ? $"""
          <h1>Partner approved</h1>
          <p class="outcome" role="status">You ({Html.E(admin.UserPrincipalName)}) approved <strong>{Html.E(decided.PartnerId)}</strong> to manage your organization.</p>
          <p>The partner can now onboard it; any other partner that asked has been told no. You can close this page.</p>
          """
        : $"""
          <h1>Request declined</h1>
          <p class="outcome" role="status">You ({Html.E(admin.UserPrincipalName)}) declined the request of <strong>{Html.E(decided.PartnerId)}</strong>. Nothing was changed in your organization.</p>
          """;

    private static string Status(ClaimStatus status) => status switch
    {
        ClaimStatus.Approved => "approved",
        ClaimStatus.Declined => "declined",
        ClaimStatus.Superseded => "set aside because another partner was approved",
        ClaimStatus.Expired => "not decided in time and has expired",
        ClaimStatus.Withdrawn => "withdrawn by the partner",
        _ => "decided",
    };

    private static string When(DateTimeOffset time) => Html.E(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
}
