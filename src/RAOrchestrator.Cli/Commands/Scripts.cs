using Google.Protobuf;

namespace RAOrchestrator.Cli.Commands;

/// <summary>A PowerShell script the service made: to a file, to stdout as it is, or inside its response as JSON.</summary>
public static class Scripts
{
    public static async Task WriteAsync(CommandContext context, IMessage response, string script, string? path, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            try
            {
                await File.WriteAllTextAsync(path, script, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Errors.CliException.Usage($"Cannot write {path}: {ex.Message}", "Check the path and its permissions.");
            }

            context.Output.Note($"Wrote {path}.");
        }
        else if (context.Output.Json)
        {
            context.Output.WriteJson(response);
        }
        else
        {
            context.Output.WriteRaw(script);
        }
    }
}
