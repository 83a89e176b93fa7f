using System.Diagnostics;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Cli.Tests;

/// <summary>Each documented exit code, from the failure that should produce it, with a message that says what to do.</summary>
[Collection(CliCollection.Name)]
public sealed class ExitCodeTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task An_unknown_command_or_option_exits_2_and_points_at_the_help()
    {
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var unknown = await cli.RunAsync("tenants", "lst");
        var badOption = await cli.RunAsync("tenants", "list", "--output", "yaml");

        Assert.True(unknown.ExitCode == ExitCodes.Usage, unknown.ToString());
        Assert.Contains("hint: raorch tenants --help shows the usage.", unknown.Error, StringComparison.Ordinal);
        Assert.True(badOption.ExitCode == ExitCodes.Usage, badOption.ToString());
    }

    [Fact]
    public async Task Without_a_sign_in_a_command_exits_3_and_says_how_to_sign_in()
    {
        using var cli = new CliRunner(fixture, token: null);

        var run = await cli.RunAsync("tenants", "list");

        Assert.True(run.ExitCode == ExitCodes.Auth, run.ToString());
        Assert.Contains("error: Not signed in.", run.Error, StringComparison.Ordinal);
        Assert.Contains("raorch login --token", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task A_token_the_service_refuses_exits_3_and_says_to_sign_in_again()
    {
        // Signed by a key the issuer never published.
        var forged = fixture.Token(_partner)[..^8] + "AAAAAAAA";
        using var cli = new CliRunner(fixture, forged);

        var run = await cli.RunAsync("tenants", "list");

        Assert.True(run.ExitCode == ExitCodes.Auth, run.ToString());
        Assert.Contains("[UNAUTHENTICATED]", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: Sign in again with a fresh partner token", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_exits_3_before_calling_and_says_when_it_expired()
    {
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expired = $"{Part("""{"alg":"RS256","typ":"JWT"}""")}.{Part($$"""{"partner_id":"{{_partner}}","exp":{{DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()}}}""")}.c2lnbmF0dXJl";
        using var cli = new CliRunner(fixture, expired);

        var run = await cli.RunAsync("tenants", "list");

        Assert.True(run.ExitCode == ExitCodes.Auth, run.ToString());
        Assert.Contains("error: The partner token expired at", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_starting_an_onboarding_exits_3_and_is_told_it_needs_the_write_role()
    {
        var manifest = Path.Combine(Path.GetTempPath(), $"reader-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(manifest, ["tenant_id,display_name", $"{Guid.NewGuid()},A"]);
        using var cli = new CliRunner(fixture, fixture.Token(_partner, write: false));

        var run = await cli.RunAsync("onboard", manifest);
        File.Delete(manifest);

        Assert.True(run.ExitCode == ExitCodes.Auth, run.ToString());
        Assert.Contains("[PERMISSION_DENIED MISSING_ROLE]", run.Error, StringComparison.Ordinal);
        Assert.Contains("RAOrchestrator.Write", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_of_another_partner_exits_4_like_one_that_does_not_exist()
    {
        var theirs = await Tenants.OnboardAsync(fixture, Tenants.NewPartner());
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var other = await cli.RunAsync("tenants", "get", theirs);
        var missing = await cli.RunAsync("tenants", "get", Guid.NewGuid().ToString());

        Assert.True(other.ExitCode == ExitCodes.NotFound, other.ToString());
        Assert.True(missing.ExitCode == ExitCodes.NotFound, missing.ToString());
        Assert.Contains("raorch tenants list", other.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_where_nothing_listens_exits_5_and_names_the_address()
    {
        using var cli = new CliRunner(fixture, fixture.Token(_partner));
        var address = $"http://127.0.0.1:{FreePort.Next()}";

        var run = await cli.RunAsync("tenants", "list", "--address", address);

        Assert.True(run.ExitCode == ExitCodes.Unavailable, run.ToString());
        Assert.Contains($"The service at {address} could not be reached", run.Error, StringComparison.Ordinal);
        Assert.Contains("[UNAVAILABLE]", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_certificate_that_is_not_the_pinned_one_exits_5_and_says_how_to_trust_it()
    {
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var run = await cli.RunAsync("tenants", "list", "--cert-sha256", new string('0', 64));

        Assert.True(run.ExitCode == ExitCodes.Unavailable, run.ToString());
        Assert.Contains("the server's certificate is not trusted", run.Error, StringComparison.Ordinal);
        Assert.Contains("--cert-sha256", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_an_operation_that_cannot_be_cancelled_exits_6_with_the_precondition()
    {
        using var cli = new CliRunner(fixture, fixture.Token(_partner));
        using var api = fixture.Api(_partner);
        var created = await api.Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = await Tenants.AddAsync(fixture.Emulator), Tenant = new Tenant { DisplayName = "One" } });

        var run = await cli.RunAsync("operations", "cancel", created.Operation.Name);

        Assert.True(run.ExitCode == ExitCodes.Conflict, run.ToString());
        Assert.Contains("OPERATION_NOT_CANCELLABLE", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_raorch_program_hands_its_exit_code_to_the_shell()
    {
        var dll = RaorchDll();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("tenants");
        start.ArgumentList.Add("get");
        start.ArgumentList.Add(Guid.NewGuid().ToString());
        start.Environment[EnvironmentVariables.Address] = fixture.Address;
        start.Environment[EnvironmentVariables.CertificateSha256] = fixture.CertificateSha256;
        start.Environment[EnvironmentVariables.Token] = fixture.Token(_partner);
        start.Environment[EnvironmentVariables.ConfigDirectory] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == ExitCodes.NotFound, await stderr);
        Assert.Contains("[NOT_FOUND]", await stderr, StringComparison.Ordinal);
    }

    /// <summary>The program as built next to its own dependencies, in the configuration of these tests.</summary>
    private static string RaorchDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepoPaths.Root, "src", "RAOrchestrator.Cli", "bin", configuration, "net10.0", "raorch.dll");
    }
}
