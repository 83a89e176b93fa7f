using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using RAOrchestrator.Client;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.Hosting;
using RAOrchestrator.Server;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Cli.Tests.Infrastructure;

/// <summary>
/// A local service as a partner meets it: Azurite, the Graph emulator (also the partner token issuer, as in
/// production), and the real host in this process serving the API over TLS with a self-signed certificate that
/// clients pin or trust as their CA.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("raorch-tests-").FullName;
    private WebApplication? _app;

    public AzuriteProcess Azurite { get; private set; } = null!;
    public GraphEmulatorServer Emulator { get; private set; } = null!;

    /// <summary>https://127.0.0.1:{port}</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>The SHA-256 thumbprint of the API's certificate (what --cert-sha256 pins).</summary>
    public string CertificateSha256 { get; private set; } = string.Empty;

    /// <summary>The API's certificate as PEM, a CA file for clients that trust roots rather than pins.</summary>
    public string CertificatePemPath => Path.Combine(_dir, "api.pem");

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Emulator = await TestEmulator.StartAsync();

        using var certificate = EmulatorCertificate.CreateSelfSigned();
        var pfx = Path.Combine(_dir, "api.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12));
        await File.WriteAllTextAsync(CertificatePemPath, certificate.ExportCertificatePem());
        CertificateSha256 = EmulatorCertificate.Sha256Thumbprint(certificate);

        var apiPort = FreePort.Next();
        var settings = TestServerSettings.For(Azurite.ConnectionString, Emulator, "cli-" + Guid.NewGuid().ToString("N")[..8],
            apiPort, FreePort.Next(), FreePort.Next(), FreePort.Next(), issuer: "unused", signingKeyBase64: "unused");
        settings["Api:Url"] = $"https://127.0.0.1:{apiPort}";
        settings["Api:CertificatePath"] = pfx;
        settings["Auth:Issuer"] = null;
        settings["Auth:SigningKey"] = null;
        settings["Auth:Authority"] = Emulator.PartnerIssuerUri;
        settings["Auth:AuthorityCertificateThumbprint"] = Emulator.CertificateSha256Thumbprint;
        _app = ServerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await _app.StartAsync();
        Address = $"https://127.0.0.1:{apiPort}";
    }

    /// <summary>A partner token from the emulator's issuer, as scripts/partner-token.sh gets one.</summary>
    public string Token(string partner, bool write = true) =>
        Emulator.MintPartnerToken(partner, [write ? "RAOrchestrator.Write" : "RAOrchestrator.Read"]);

    /// <summary>The API as the partner's own software sees it, through the client library.</summary>
    /// <remarks>A tenant it claims is approved at once by the tenant's test administrator (<see cref="AutoApproval"/>).</remarks>
    public RAOrchestratorClient Api(string partner) => RAOrchestratorClient.Create(new RAOrchestratorClientOptions
    {
        Address = Address,
        Tokens = new StaticTokenProvider(Token(partner)),
        PinnedCertificateSha256 = CertificateSha256,
        Interceptors = [new AutoApproval(Emulator)],
    });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "cli";
}
