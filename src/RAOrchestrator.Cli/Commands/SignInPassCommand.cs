using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Contracts.V1;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Cli.Commands;

/// <summary>
/// <c>raorch service-accounts issue-pass</c>: a Temporary Access Pass for the account, mailed to its vendor contact
/// (<c>--deliver</c>, the default) or shown here once (<c>--show</c>).
/// </summary>
public static class SignInPassCommand
{
    public const string ShownOnce = "This pass is shown once and is not stored: hand it to the vendor's expert now. Issuing a new pass replaces it.";

    public const string Mailed = "Mailed to the vendor contact: a one-time link to the pass, which asks for a code sent in a second mail. The account's sign-in passes show when it is seen.";

    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var account = new Argument<string>("service-account") { Description = "tenants/<tenant>/serviceAccounts/<id>, or <tenant>/<id>." };
        var lifetime = new Option<int?>("--lifetime")
        {
            Description = "How long the pass signs in: minutes, or with a unit such as 90m, 2h, 1d. Default: the tenant policy's.",
            CustomParser = ParseLifetime,
        };
        var reusable = new Option<bool>("--reusable") { Description = "Let the pass sign in more than once until it expires (when the tenant's policy allows)." };
        var deliver = new Option<bool>("--deliver") { Description = "Mail the vendor contact a one-time link to the pass (the default): nobody else sees the pass." };
        var show = new Option<bool>("--show") { Description = "Show the pass here, once, to hand over through your own channel." };
        var command = new Command("issue-pass", "Issues a Temporary Access Pass for the account's user: mails the vendor contact a one-time link to it, or with --show prints it once.")
        {
            account, lifetime, reusable, deliver, show,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(deliver) && result.GetValue(show))
            {
                result.AddError("Choose one of --deliver (mail the vendor contact) and --show (print the pass here).");
            }
        });
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var request = new IssueSignInPassRequest
            {
                Name = Names.ServiceAccount(context.Value(account)),
                RequestId = Guid.NewGuid().ToString("D"),
                Delivery = context.Value(show) ? Delivery.Return : Delivery.Mail,
            };
            if (context.Value(lifetime) is { } minutes)
            {
                request.Lifetime = Duration.FromTimeSpan(TimeSpan.FromMinutes(minutes));
            }

            if (context.Value(reusable))
            {
                request.UsableOnce = false;
            }

            var response = await context.Client.ServiceAccounts.IssueSignInPassAsync(request, cancellationToken: cancellationToken);
            context.Output.Note(response.Delivery == Delivery.Return ? ShownOnce : Mailed);
            return context.Show(response, () => ServiceAccountViews.Pass(response));
        });
        return command;
    }

    /// <summary>Minutes from "90", "90m", "2h" or "1d"; an error naming the option otherwise.</summary>
    private static int? ParseLifetime(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim().ToLowerInvariant() : string.Empty;
        var (number, perUnit) = text.Length == 0 ? (text, 0)
            : text[^1] switch { 'm' => (text[..^1], 1), 'h' => (text[..^1], 60), 'd' => (text[..^1], 1440), _ => (text, 1) };
        if (perUnit > 0 && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && (long)value * perUnit <= 43_200)
        {
            return value * perUnit;
        }

        result.AddError("--lifetime must be a positive number of minutes, or with a unit (90m, 2h, 1d), at most 30 days.");
        return null;
    }
}
