using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Contracts.V1;
using Spectre.Console;

namespace RAOrchestrator.Cli.Commands;

/// <summary>
/// <c>raorch sessions schedule</c>: a session with its Teams meeting, organised by a user of the tenant, with
/// anonymous guests invited by address; prints each guest's invitation link (the link their mail carries).
/// </summary>
public static class SessionScheduling
{
    private const int MaxGuests = 20;

    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var organizer = new Option<string>("--organizer") { Description = "The organizer: the object id of a licensed user of the tenant (the HoloLens technician).", Required = true };
        var subject = new Option<string>("--subject") { Description = "What the session is about, as the invitation mail and the join page show it.", Required = true };
        var id = new Option<string?>("--id") { Description = "The session id (1 to 63 lower-case letters, digits and '-'). Default: a new one." };
        var startIn = new Option<int>("--start-in") { Description = "Minutes from now until it starts.", DefaultValueFactory = _ => 5 };
        var minutes = new Option<int>("--minutes") { Description = "How long it lasts, in minutes.", DefaultValueFactory = _ => 60 };
        var guests = new Option<string[]>("--guest")
        {
            Description = "An anonymous guest to invite, as address (named by its part before the @) or \"address=Display Name\"; repeat for more.",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var command = new Command("schedule", "Schedules a session and its Teams meeting and invites guests; prints each guest's invitation link.")
        {
            tenant, organizer, subject, id, startIn, minutes, guests,
        };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var request = Request(Names.Tenant(context.Value(tenant)), context.Value(organizer), context.Value(subject), context.Value(id),
                context.Value(startIn), context.Value(minutes), context.Value(guests), DateTimeOffset.UtcNow);
            var response = await context.Client.Sessions.CreateSessionAsync(request, cancellationToken: cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
                return ExitCodes.Ok;
            }

            var session = response.Session;
            context.Output.Console.Write(Tables.Details(
                ("Session", session.Name), ("Subject", session.Subject), ("Starts", Tables.Time(session.StartTime)), ("Ends", Tables.Time(session.EndTime))));
            context.Output.Console.WriteLine();

            // Links whole, one a line (a table would wrap them): each is for its guest only.
            foreach (var invitation in session.Invitations.Where(i => i.InvitationLink.Length > 0))
            {
                context.Output.WriteRaw($"Link for {invitation.Person.AnonymousGuest?.Email}: {invitation.InvitationLink}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The CreateSession request, with every option checked first so a mistake is named before anything is sent.</summary>
    public static CreateSessionRequest Request(string parent, string organizer, string subject, string? id, int startIn, int minutes, IReadOnlyList<string> guests, DateTimeOffset now)
    {
        if (startIn is < 0 or > 60 * 24 * 365)
        {
            throw CliException.Usage("--start-in must be between 0 and 525600 minutes.");
        }

        if (minutes is < 1 or > 60 * 24)
        {
            throw CliException.Usage("--minutes must be between 1 and 1440.");
        }

        if (guests.Count > MaxGuests)
        {
            throw CliException.Usage($"At most {MaxGuests} --guest options.");
        }

        var start = now.AddMinutes(startIn);
        var request = new CreateSessionRequest
        {
            RequestId = Guid.NewGuid().ToString("D"),
            Parent = parent,
            SessionId = id ?? "s-" + Guid.NewGuid().ToString("N")[..12],
            Session = new Session
            {
                Organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = organizer.Trim() } },
                Subject = subject,
                StartTime = Timestamp.FromDateTimeOffset(start),
                EndTime = Timestamp.FromDateTimeOffset(start.AddMinutes(minutes)),
            },
        };
        request.Session.Invitations.AddRange(guests.Select(Guest));
        return request;
    }

    /// <summary>"erin@oem.example" or "erin@oem.example=Erin Expert"; the server validates the address itself.</summary>
    private static Invitation Guest(string text)
    {
        var split = text.IndexOf('=', StringComparison.Ordinal);
        var email = (split < 0 ? text : text[..split]).Trim();
        var name = split < 0 ? email[..Math.Max(0, email.IndexOf('@', StringComparison.Ordinal))] : text[(split + 1)..].Trim();
        if (email.Length == 0)
        {
            throw CliException.Usage($"--guest '{text}' has no address; write address or \"address=Display Name\".");
        }

        return new Invitation { Person = new Person { AnonymousGuest = new Person.Types.AnonymousGuest { Email = email, DisplayName = name.Length > 0 ? name : email } } };
    }
}
