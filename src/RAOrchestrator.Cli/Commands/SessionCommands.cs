using System.CommandLine;
using Grpc.Core;
using RAOrchestrator.Cli.Output;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;
using Spectre.Console;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch sessions schedule|list|get|admit|deny|watch</c>: Remote Assist sessions and their lobby.</summary>
public static class SessionCommands
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var command = new Command("sessions", "Remote Assist sessions: scheduling with guests, who waits in the lobby, admitting and denying, the live timeline.");
        command.Subcommands.Add(SessionScheduling.Create(host, globals));
        command.Subcommands.Add(List(host, globals));
        command.Subcommands.Add(Get(host, globals));
        command.Subcommands.Add(Decide(host, globals, admit: true));
        command.Subcommands.Add(Decide(host, globals, admit: false));
        command.Subcommands.Add(Watch(host, globals));
        return command;
    }

    private static Argument<string> SessionArgument() => new("session") { Description = "tenants/<tenant>/sessions/<id>, or <tenant>/<id>." };

    private static Command List(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var command = new Command("list", "Lists a tenant's sessions with how many wait in the lobby.") { tenant };
        command.Set(host, globals, (context, cancellationToken) =>
            context.ShowAllAsync("sessions", context.Client.Sessions.ListAllSessionsAsync(Names.Tenant(context.Value(tenant)), cancellationToken), SessionViews.List));
        return command;
    }

    private static Command Get(CliHost host, GlobalOptions globals)
    {
        var session = SessionArgument();
        var command = new Command("get", "Shows a session: participants (who waits in the lobby) and its timeline.") { session };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Sessions.GetSessionAsync(new GetSessionRequest { Name = Names.Session(context.Value(session)), View = SessionView.Full }, cancellationToken: cancellationToken);
            return context.Show(response.Session, () => SessionViews.Details(response.Session));
        });
        return command;
    }

    /// <summary>admit or deny: the managing partner decides for the organizer.</summary>
    private static Command Decide(CliHost host, GlobalOptions globals, bool admit)
    {
        var session = SessionArgument();
        var participant = new Argument<string>("participant") { Description = "The participant id, e.g. guest:erin@vendor.example (raorch sessions get shows them)." };
        var command = new Command(admit ? "admit" : "deny", admit
            ? "Admits a participant waiting in the lobby; prints its one-time join ticket."
            : "Denies a participant waiting in the lobby.")
        {
            session, participant,
        };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var name = Names.Session(context.Value(session));
            var id = context.Value(participant);
            Google.Protobuf.IMessage response;
            Participant after;
            JoinTicket? ticket = null;
            if (admit)
            {
                var admitted = await context.Client.Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = name, ParticipantId = id }, cancellationToken: cancellationToken);
                (response, after, ticket) = (admitted, admitted.Participant, admitted.Ticket);
            }
            else
            {
                var denied = await context.Client.Sessions.DenyParticipantAsync(new DenyParticipantRequest { Name = name, ParticipantId = id }, cancellationToken: cancellationToken);
                (response, after) = (denied, denied.Participant);
            }

            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
                return ExitCodes.Ok;
            }

            context.Output.Console.Write(Tables.Details(
                ("Participant", after.Id),
                ("Name", after.DisplayName),
                ("State", Tables.Words(after.State)),
                ("Why", after.StateReason),
                ("Decided by", after.DecidedBy),
                ("Join ticket", ticket?.Token),
                ("Ticket expires", Tables.Time(ticket?.ExpireTime))));
            context.Output.Console.WriteLine();
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Watch(CliHost host, GlobalOptions globals)
    {
        var session = SessionArgument();
        var after = new Option<long>("--after") { Description = "Start after this event number (0: from the first).", DefaultValueFactory = _ => 0 };
        var command = new Command("watch", "Streams the session's events live, one a line (JSON lines with -o json), until the session ends.") { session, after };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var name = Names.Session(context.Value(session));
            var last = context.Value(after);
            var reconnects = 0;
            while (true)
            {
                context.InterruptHint = $"Resume with: raorch sessions watch {name} --after {last}";
                try
                {
                    using var call = context.Client.Sessions.WatchSession(new WatchSessionRequest { Name = name, AfterSequence = last }, cancellationToken: cancellationToken);
                    await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
                    {
                        last = response.Event.Sequence;
                        context.InterruptHint = $"Resume with: raorch sessions watch {name} --after {last}";
                        if (context.Output.Json)
                        {
                            context.Output.WriteJson(ProtoJson.Line(response.Event));
                        }
                        else
                        {
                            context.Output.WriteRaw(SessionViews.Line(response.Event));
                        }

                        await context.Host.Out.FlushAsync(cancellationToken);
                    }

                    return ExitCodes.Ok;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && reconnects++ < 5)
                {
                    // A silo moved or the connection dropped: resume after the last event seen, nothing is lost.
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * reconnects), cancellationToken);
                }
            }
        });
        return command;
    }
}
