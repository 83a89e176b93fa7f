using RAOrchestrator.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RAOrchestrator.Cli.Views;

public static class ServiceAccountViews
{
    public static IRenderable List(IReadOnlyCollection<ServiceAccount> accounts)
    {
        var table = Tables.Create("Service account", "Display name", "UPN", "State", "Usage location", "Failure");
        foreach (var a in accounts)
        {
            table.Row(a.Name, a.DisplayName, a.UserPrincipalName, Tables.Words(a.State), a.UsageLocation, a.FailureReason);
        }

        table.Caption(new TableTitle($"{accounts.Count} service account{(accounts.Count == 1 ? string.Empty : "s")}"));
        return table;
    }

    /// <summary>The UPN to sign in with, the pass and when it expires (the pass is empty on a repeated request).</summary>
    public static IRenderable Pass(IssueSignInPassResponse p) => Tables.Details(
        ("UPN", p.UserPrincipalName),
        ("Pass", p.Pass.Length > 0 ? p.Pass : p.Delivery == IssueSignInPassRequest.Types.Delivery.Mail ? "(mailed to the vendor contact)" : "(not shown again)"),
        ("Expires", Tables.Time(p.ExpireTime)),
        ("One-time", p.UsableOnce ? "yes" : "no"));

    public static IRenderable Details(ServiceAccount a) => Tables.Details(
        ("Name", a.Name),
        ("Display name", a.DisplayName),
        ("UPN", a.UserPrincipalName),
        ("State", Tables.Words(a.State)),
        ("Failure", a.FailureReason.Length == 0 ? string.Empty : $"{a.FailureReason}: {a.FailureMessage}"),
        ("Usage location", a.UsageLocation),
        ("Barrier licence", a.BarrierLicense ? "yes" : "no"),
        ("SKUs", string.Join(", ", a.SkuIds)),
        ("Directory user", a.DirectoryUserId),
        ("Vendor contact", a.VendorContact is null ? string.Empty : $"{a.VendorContact.Email} {a.VendorContact.Phone}".Trim()),
        ("Attributes", string.Join(", ", a.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))),
        ("Created", Tables.Time(a.CreateTime)),
        ("Updated", Tables.Time(a.UpdateTime)));

    public static IRenderable Licenses(string tenant, GetLicenseSummaryResponse summary)
    {
        var table = Tables.Create("SKU", "Part number", "Enabled", "Consumed", "Reserved", "Available");
        foreach (var s in summary.Skus)
        {
            table.Row(s.SkuId, s.PartNumber, s.Enabled.ToString(), s.Consumed.ToString(), s.Reserved.ToString(), s.Available.ToString());
        }

        table.Title(new TableTitle($"licences of {tenant}"));
        return table;
    }
}
