using System.CommandLine;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch service-accounts create</c>: a vendor's service account, provisioned and licensed, with its vendor contact.</summary>
public static class ServiceAccountCreateCommand
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var account = new Argument<string>("service-account") { Description = "tenants/<tenant>/serviceAccounts/<id>, or <tenant>/<id>; the id is 1 to 63 lower-case letters, digits and '-'." };
        var upn = new Option<string>("--upn") { Description = "The account's user principal name, in one of the tenant's verified domains.", Required = true };
        var displayName = new Option<string>("--display-name") { Description = "The name people see in the directory.", Required = true };
        var usageLocation = new Option<string>("--usage-location") { Description = "Two-letter country code (Graph needs one before licences).", DefaultValueFactory = _ => "US" };
        var vendorEmail = new Option<string?>("--vendor-email") { Description = "The vendor expert's own e-mail address, where sign-in passes are mailed." };
        var vendorPhone = new Option<string?>("--vendor-phone") { Description = "The expert's phone number in E.164 (+4915112345678), for the record." };
        var barrier = new Option<bool>("--barrier-license") { Description = "Also assign the information-barrier-capable suite." };
        var command = new Command("create", "Provisions a vendor's service account (a licensed user of the tenant) and waits until it is active.")
        {
            account, upn, displayName, usageLocation, vendorEmail, vendorPhone, barrier,
        };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var name = Names.ServiceAccount(context.Value(account));
            var request = new CreateServiceAccountRequest
            {
                RequestId = Guid.NewGuid().ToString("D"),
                Parent = name[..name.IndexOf("/serviceAccounts/", StringComparison.Ordinal)],
                ServiceAccountId = name[(name.LastIndexOf('/') + 1)..],
                ServiceAccount = new ServiceAccount
                {
                    UserPrincipalName = context.Value(upn),
                    DisplayName = context.Value(displayName),
                    UsageLocation = context.Value(usageLocation),
                    BarrierLicense = context.Value(barrier),
                    VendorContact = context.Value(vendorEmail) is { } email ? new VendorContact { Email = email, Phone = context.Value(vendorPhone) ?? string.Empty } : null,
                },
            };
            var response = await context.Client.ServiceAccounts.CreateServiceAccountAsync(request, cancellationToken: cancellationToken);
            return context.Show(response.ServiceAccount, () => ServiceAccountViews.Details(response.ServiceAccount));
        });
        return command;
    }
}
