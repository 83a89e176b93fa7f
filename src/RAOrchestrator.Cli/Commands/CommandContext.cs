using System.CommandLine;
using RAOrchestrator.Cli.Connection;
using RAOrchestrator.Cli.Output;
using RAOrchestrator.Client;

namespace RAOrchestrator.Cli.Commands;

/// <summary>One invocation: the parsed command line, where to write, and the connection (made on first use).</summary>
public sealed class CommandContext(CliHost host, ParseResult parse, GlobalOptions globals) : IDisposable
{
    private RAOrchestratorClient? _client;

    public CliHost Host { get; } = host;
    public ParseResult Parse { get; } = parse;
    public CliOutput Output { get; } = new(host, parse.GetValue(globals.Output));

    public ConnectionSettings Connection { get; } = ConnectionSettings.Resolve(
        host, parse.GetValue(globals.Address), parse.GetValue(globals.CertificateSha256), parse.GetValue(globals.Profile));

    /// <summary>Renames the fields a service error names (the onboard command maps bulk items to manifest lines).</summary>
    public Func<string, string>? DescribeField { get; set; }

    /// <summary>The item being sent when a call fails (e.g. "policy vendors-allow"), named in the error.</summary>
    public string? Subject { get; set; }

    /// <summary>What to tell someone who pressed Ctrl+C (e.g. that the onboarding goes on and how to follow it).</summary>
    public string? InterruptHint { get; set; }

    /// <summary>The signed-in client; not signed in is an auth failure that says what to do.</summary>
    public RAOrchestratorClient Client => _client ??= Connection.Connect();

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose() => _client?.Dispose();
}
