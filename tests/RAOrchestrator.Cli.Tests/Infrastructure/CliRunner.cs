namespace RAOrchestrator.Cli.Tests.Infrastructure;

/// <summary>
/// Runs raorch in this process through its entry point, as one user: their own config folder and environment,
/// stdout and stderr captured. The streams are not a terminal, so output is plain (no colours, no live redraw).
/// </summary>
public sealed class CliRunner : IDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private readonly CliFixture _fixture;

    /// <remarks>
    /// When raorch tells the user to send an approval link, the tenant's test administrator approves it, as the person
    /// it was sent to would (<see cref="ApprovingWriter"/>).
    /// </remarks>
    public CliRunner(CliFixture fixture, string? token)
    {
        _fixture = fixture;
        ConfigDirectory = System.IO.Directory.CreateTempSubdirectory("raorch-config-").FullName;
        _environment = new Dictionary<string, string?>
        {
            [EnvironmentVariables.Address] = fixture.Address,
            [EnvironmentVariables.CertificateSha256] = fixture.CertificateSha256,
            [EnvironmentVariables.Token] = token,
            [EnvironmentVariables.ConfigDirectory] = ConfigDirectory,
        };
    }

    public string ConfigDirectory { get; }

    /// <summary>The person (a user name at the emulator's partner issuer) who enters the device code raorch login shows.</summary>
    public string? SignInAs { get; set; }

    public string? this[string variable]
    {
        get => _environment.GetValueOrDefault(variable);
        set => _environment[variable] = value;
    }

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(TextReader.Null, default, args);

    public async Task<CliResult> RunAsync(TextReader input, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new ApprovingWriter(_fixture.Emulator, SignInAs);
        var host = new CliHost { Out = output, Error = error, In = input, GetVariable = name => _environment.GetValueOrDefault(name), Width = 250 };
        var exitCode = await Raorch.RunAsync(args, host, cancellationToken);
        await error.ApprovalsAsync();
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(ConfigDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Harmless.
        }
    }
}

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
