using System.CommandLine;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch service-accounts list|get|create|issue-pass</c> and <c>raorch licenses</c>.</summary>
public static class ServiceAccountCommands
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var command = new Command("service-accounts", "Vendor service accounts of a tenant.");
        command.Subcommands.Add(List(host, globals));
        command.Subcommands.Add(Get(host, globals));
        command.Subcommands.Add(ServiceAccountCreateCommand.Create(host, globals));
        command.Subcommands.Add(SignInPassCommand.Create(host, globals));
        return command;
    }

    public static Command Licenses(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var refresh = new Option<bool>("--refresh") { Description = "Read the inventory from Graph now instead of within the last minute." };
        var command = new Command("licenses", "A tenant's licence seats per SKU: enabled, consumed, reserved by this service, available.") { tenant, refresh };
        command.Aliases.Add("licences");
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var name = Names.Tenant(context.Value(tenant));
            var response = await context.Client.ServiceAccounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = name, Refresh = context.Value(refresh) }, cancellationToken: cancellationToken);
            return context.Show(response, () => ServiceAccountViews.Licenses(name, response));
        });
        return command;
    }

    private static Command List(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var command = new Command("list", "Lists a tenant's service accounts.") { tenant };
        command.Set(host, globals, (context, cancellationToken) =>
            context.ShowAllAsync("serviceAccounts", context.Client.ServiceAccounts.ListAllServiceAccountsAsync(Names.Tenant(context.Value(tenant)), cancellationToken), ServiceAccountViews.List));
        return command;
    }

    private static Command Get(CliHost host, GlobalOptions globals)
    {
        var account = new Argument<string>("service-account") { Description = "tenants/<tenant>/serviceAccounts/<id>, or <tenant>/<id>." };
        var command = new Command("get", "Shows a service account: state, UPN, licences, or why it failed.") { account };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.ServiceAccounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = Names.ServiceAccount(context.Value(account)) }, cancellationToken: cancellationToken);
            return context.Show(response.ServiceAccount, () => ServiceAccountViews.Details(response.ServiceAccount));
        });
        return command;
    }
}
