using System.CommandLine;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch tenants list|get|update|runbook</c>.</summary>
public static class TenantCommands
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var command = new Command("tenants", "The tenants you manage.");
        command.Subcommands.Add(List(host, globals));
        command.Subcommands.Add(Get(host, globals));
        command.Subcommands.Add(Update(host, globals));
        command.Subcommands.Add(Runbook(host, globals));
        return command;
    }

    private static Command List(CliHost host, GlobalOptions globals)
    {
        var command = new Command("list", "Lists your tenants in name order.");
        command.Set(host, globals, (context, cancellationToken) =>
            context.ShowAllAsync("tenants", context.Client.Tenants.ListAllTenantsAsync(cancellationToken), TenantViews.List));
        return command;
    }

    private static Command Get(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var command = new Command("get", "Shows a tenant: state, settings and its readiness checks with their remedies.") { tenant };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Tenants.GetTenantAsync(new GetTenantRequest { Name = Names.Tenant(context.Value(tenant)) }, cancellationToken: cancellationToken);
            return context.Show(response.Tenant, () => TenantViews.Details(response.Tenant));
        });
        return command;
    }

    /// <summary>Changes only the settings given (the update mask names exactly those).</summary>
    private static Command Update(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var displayName = new Option<string?>("--display-name") { Description = "A new name for people." };
        var mailSender = new Option<string?>("--mail-sender") { Description = "The tenant's mailbox that sign-in pass mails are sent from, such as remote-assist@contoso.com; \"\" clears it." };
        var command = new Command("update", "Changes a tenant's display name or mail sender; what is not given stays as it is.") { tenant, displayName, mailSender };
        command.Validators.Add(result =>
        {
            if (result.GetValue(displayName) is null && result.GetValue(mailSender) is null)
            {
                result.AddError("Give at least one of --display-name and --mail-sender.");
            }
        });
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var request = new UpdateTenantRequest
            {
                RequestId = Guid.NewGuid().ToString("D"),
                Tenant = new Tenant { Name = Names.Tenant(context.Value(tenant)) },
                UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask(),
            };
            if (context.Value(displayName) is { } name)
            {
                request.Tenant.DisplayName = name;
                request.UpdateMask.Paths.Add("display_name");
            }

            if (context.Value(mailSender) is { } sender)
            {
                request.Tenant.MailSender = sender;
                request.UpdateMask.Paths.Add("mail_sender");
            }

            var response = await context.Client.Tenants.UpdateTenantAsync(request, cancellationToken: cancellationToken);
            return context.Show(response.Tenant, () => TenantViews.Details(response.Tenant));
        });
        return command;
    }

    private static Command Runbook(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var output = Arguments.OutFile();
        var command = new Command("runbook", "The PowerShell runbook for the tenant admin: the Teams settings Graph cannot make, from the latest checks.") { tenant, output };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = Names.Tenant(context.Value(tenant)) }, cancellationToken: cancellationToken);
            await Scripts.WriteAsync(context, response, response.Script, context.Value(output), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
