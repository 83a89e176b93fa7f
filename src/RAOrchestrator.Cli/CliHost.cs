namespace RAOrchestrator.Cli;

/// <summary>What the command line touches outside itself: its streams, its environment and the user's config folder.</summary>
public sealed class CliHost
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Reads an environment variable (tests pass their own).</summary>
    public required Func<string, string?> GetVariable { get; init; }

    /// <summary>True when stdout is a terminal: live progress bars and colours; otherwise plain lines.</summary>
    public bool Interactive { get; init; }

    /// <summary>True for the real process: Ctrl+C cancels the command (which then exits 130).</summary>
    public bool HandlesInterrupts { get; init; }

    /// <summary>Width for tables when stdout is not a terminal.</summary>
    public int Width { get; init; } = 160;

    /// <summary>Where profiles live: $RAORCH_CONFIG_DIR, else $XDG_CONFIG_HOME/raorch, else the user's application-data folder.</summary>
    public string ConfigDirectory =>
        GetVariable(EnvironmentVariables.ConfigDirectory) is { Length: > 0 } dir
            ? dir
            : Path.Combine(
                GetVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify),
                "raorch");

    public static CliHost FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        GetVariable = Environment.GetEnvironmentVariable,
        Interactive = !Console.IsOutputRedirected,
        HandlesInterrupts = true,
    };
}

/// <summary>The environment variables raorch reads.</summary>
public static class EnvironmentVariables
{
    public const string Token = "RAORCH_TOKEN";
    public const string Address = "RAORCH_ADDRESS";
    public const string CertificateSha256 = "RAORCH_CERT_SHA256";
    public const string Profile = "RAORCH_PROFILE";
    public const string ConfigDirectory = "RAORCH_CONFIG_DIR";
    public const string PartnerClaim = "RAORCH_PARTNER_CLAIM";
    public const string RolesClaim = "RAORCH_ROLES_CLAIM";
    public const string Authority = "RAORCH_AUTHORITY";
    public const string ClientId = "RAORCH_CLIENT_ID";
    public const string Scope = "RAORCH_SCOPE";
    public const string AuthorityCertificateSha256 = "RAORCH_AUTHORITY_CERT_SHA256";
}
