using System.CommandLine;
using RAOrchestrator.Cli.Output;

namespace RAOrchestrator.Cli.Commands;

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Address { get; } = new("--address")
    {
        Description = $"The API address: host:port (TLS), https://host:port, http://host:port (local plaintext), dns:///host:port or static:///host:port,host:port (balanced over every address, TLS). Default: ${EnvironmentVariables.Address}, the profile's, then {Connection.ConnectionSettings.DefaultAddress}.",
        Recursive = true,
    };

    public Option<string?> CertificateSha256 { get; } = new("--cert-sha256")
    {
        Description = $"Trust exactly the server certificate with this SHA-256 thumbprint (hex). Default: ${EnvironmentVariables.CertificateSha256}, then the profile's.",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = $"The saved sign-in to use. Default: ${EnvironmentVariables.Profile}, then 'default'.",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (for people) or json (for scripts: the API's messages in protobuf JSON).",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Address);
        root.Options.Add(CertificateSha256);
        root.Options.Add(Profile);
        root.Options.Add(Output);
    }
}
