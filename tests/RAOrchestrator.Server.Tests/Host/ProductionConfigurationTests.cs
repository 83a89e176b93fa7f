using Microsoft.Extensions.Hosting;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A Production host refuses to start with what only the local emulator needs (the development signing key, pinned
/// self-signed certificates) unless Demo:Enabled says this deployment is a demonstration with emulator credentials.
/// </summary>
public sealed class ProductionConfigurationTests
{
    private const string Pin = "3F1A9C0B7E2D4F6A8B0C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6A7B8C9D0E1F2A";

    /// <summary>A Production configuration that starts: tokens from an OpenID issuer, nothing pinned.</summary>
    private static readonly string[] Production =
    [
        "--environment=Production",
        "--Auth:Authority=https://login.example.com/partners/v2.0",
        "--Graph:ClientId=6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90",
        "--Graph:ClientSecret=not-used",
    ];

    private static readonly string[] DevelopmentKey =
    [
        "--Auth:Authority=",
        "--Auth:Issuer=https://issuer.test",
        "--Auth:SigningKey=" + Convert.ToBase64String(new byte[32]),
    ];

    public static TheoryData<string, string[]> EmulatorCredentials => new()
    {
        { "Auth:SigningKey", DevelopmentKey },
        { "Auth:AuthorityCertificateThumbprint", ["--Auth:AuthorityCertificateThumbprint=" + Pin] },
        { "Graph:PinnedCertificateSha256", ["--Graph:PinnedCertificateSha256=" + Pin] },
    };

    [Theory]
    [MemberData(nameof(EmulatorCredentials))]
    public void A_production_host_refuses_to_start_with_an_emulator_credential_naming_the_setting(string setting, string[] args)
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. Production, .. args]));

        var error = Assert.Single(ex.Errors);
        Assert.StartsWith(setting, error, StringComparison.Ordinal);
        Assert.Contains("Demo:Enabled=true", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EmulatorCredentials))]
    public async Task A_production_host_declared_a_demonstration_builds_with_an_emulator_credential(string setting, string[] args)
    {
        await using var app = ServerApp.Build([.. Production, .. args, "--Demo:Enabled=true"]);

        Assert.True(app.Environment.IsProduction(), setting);
    }

    [Fact]
    public async Task A_development_host_may_use_the_emulator_credentials_without_declaring_a_demonstration()
    {
        await using var app = ServerApp.Build(
        [
            .. Production, .. DevelopmentKey,
            "--Graph:PinnedCertificateSha256=" + Pin,
            "--environment=Development",
        ]);

        Assert.True(app.Environment.IsDevelopment());
    }
}
