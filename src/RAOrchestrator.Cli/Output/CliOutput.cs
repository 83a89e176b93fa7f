using Google.Protobuf;
using Spectre.Console;

namespace RAOrchestrator.Cli.Output;

/// <summary>Where a command writes: results to stdout (tables or JSON), messages for people to stderr.</summary>
public sealed class CliOutput
{
    public CliOutput(CliHost host, OutputFormat format)
    {
        Format = format;
        Host = host;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(host.Out),
            Ansi = host.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = host.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = host.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!host.Interactive)
        {
            Console.Profile.Width = host.Width;
        }
    }

    public OutputFormat Format { get; }
    public CliHost Host { get; }

    public bool Json => Format == OutputFormat.Json;

    /// <summary>stdout for people: tables, progress.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>A note for people on stderr (never mixed into results).</summary>
    public void Note(string text) => Host.Error.WriteLine(text);

    public void WriteJson(IMessage message) => Host.Out.WriteLine(ProtoJson.Format(message));

    public void WriteJson(string json) => Host.Out.WriteLine(json);

    /// <summary>Raw text to stdout (a script to redirect into a file).</summary>
    public void WriteRaw(string text) => Host.Out.Write(text.EndsWith('\n') ? text : text + "\n");
}
