using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Authentication.Azure;
using RAOrchestrator.GraphEmulator.Admin;
using RAOrchestrator.GraphEmulator.DeviceCode;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.GraphEmulator.Hosting;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Teams;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator;

/// <summary>
/// The Entra ID + Microsoft Graph v1.0 emulator as a real HTTPS server. Start it with <see cref="StartAsync"/>;
/// dispose it to stop. Clients pin <see cref="Certificate"/>; helpers here build such clients.
/// </summary>
public sealed class GraphEmulatorServer : IAsyncDisposable
{
    public const string GraphScope = "https://graph.microsoft.com/.default";

    private readonly WebApplication _app;

    private GraphEmulatorServer(WebApplication app, X509Certificate2 certificate, EmulatorState state, TokenIssuer issuer, Uri baseAddress,
        GraphEmulatorOptions options)
    {
        _app = app;
        Options = options;
        Certificate = certificate;
        State = state;
        Tokens = issuer;
        BaseAddress = baseAddress;
    }

    /// <summary>https://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    /// <summary>The options it started with; lifetimes and intervals read per request, so a test may change them for later requests.</summary>
    public GraphEmulatorOptions Options { get; }

    /// <summary>https://127.0.0.1:port/v1.0, the base URL to give the Graph SDK.</summary>
    public string GraphBaseUrl => new Uri(BaseAddress, "v1.0").ToString();

    /// <summary>The issuer of partner tokens, https://127.0.0.1:port/{issuer}/v2.0.</summary>
    public string PartnerIssuerUri => TokenIssuer.PartnerIssuerUri(BaseAddress, State.PartnerIssuer);

    /// <summary>The partner issuer's OIDC discovery document URL.</summary>
    public Uri PartnerMetadataAddress => new(BaseAddress, $"{State.PartnerIssuer}/v2.0/.well-known/openid-configuration");

    public X509Certificate2 Certificate { get; }

    public string CertificateSha256Thumbprint => EmulatorCertificate.Sha256Thumbprint(Certificate);

    /// <summary>Direct access to tenants, counters, throttling and faults (for assertions and setup).</summary>
    public EmulatorState State { get; }

    public TokenIssuer Tokens { get; }

    public static async Task<GraphEmulatorServer> StartAsync(GraphEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var certificate = options.Certificate
            ?? (options.CertificatePfxPath is { } pfx ? EmulatorCertificate.LoadOrCreate(pfx, options.CertificatePfxPassword) : EmulatorCertificate.CreateSelfSigned());
        if (options.CertificatePemOutputPath is { } pemPath)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(pemPath));
            if (!string.IsNullOrEmpty(dir))
            {
                System.IO.Directory.CreateDirectory(dir);
            }

            await File.WriteAllTextAsync(pemPath, EmulatorCertificate.ToPem(certificate), cancellationToken);
            // Next to it, the SHA-256 thumbprint other processes pin (e.g. the server's Graph:PinnedCertificateSha256).
            await File.WriteAllTextAsync(pemPath + ".sha256", EmulatorCertificate.Sha256Thumbprint(certificate), cancellationToken);
        }

        var state = new EmulatorState(options.Throttling, options.Faults, options.TimeProvider);
        var data = options.Data ?? (options.DataFile is { } file ? EmulatorData.Load(file) : new EmulatorData());
        state.Load(data);
        if (!string.IsNullOrEmpty(options.PartnerIssuer))
        {
            state.PartnerIssuer = options.PartnerIssuer;
        }

        var issuer = new TokenIssuer(options.TimeProvider);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GraphEmulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            var url = options.Url;
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions l) => l.UseHttps(certificate);
            if (url is null)
            {
                k.Listen(IPAddress.Loopback, 0, Https);
            }
            else if (url.IsLoopback && url.Host == "localhost")
            {
                k.ListenLocalhost(url.Port, Https);
            }
            else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip))
            {
                k.Listen(ip, url.Port, Https);
            }
            else
            {
                k.ListenAnyIP(url.Port, Https);
            }
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(issuer);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton<SignInStore>();
        builder.Services.AddSingleton<DeviceCodeStore>();
        builder.Services.AddSingleton<RefreshTokenStore>();
        builder.Services.AddSingleton<GraphApi>();
        builder.Services.AddSingleton<GraphPipeline>();

        var app = builder.Build();
        var pipeline = app.Services.GetRequiredService<GraphPipeline>();
        app.Map("/v1.0", branch => branch.Run(pipeline.HandleAsync));
        app.MapTokenEndpoints();
        app.MapSignInEndpoints();
        app.MapDeviceCodeEndpoints();
        app.MapAdminEndpoints();
        app.MapTeamsJoinEndpoints();

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        var host = options.Url?.Host ?? "127.0.0.1";
        var baseAddress = new UriBuilder("https", host, bound.Port, "/").Uri;
        state.BaseAddress = baseAddress;
        return new GraphEmulatorServer(app, certificate, state, issuer, baseAddress, options);
    }

    /// <summary>A handler that trusts only this emulator's certificate.</summary>
    public SocketsHttpHandler CreatePinnedHandler() => EmulatorTls.CreatePinnedHandler(Certificate);

    /// <summary>An HttpClient pinned to the emulator, with <see cref="BaseAddress"/> set.</summary>
    public HttpClient CreateHttpClient() => new(CreatePinnedHandler()) { BaseAddress = BaseAddress };

    /// <summary>An Azure.Identity credential for one tenant, using the emulator as authority over a pinned transport.</summary>
    public ClientSecretCredential CreateCredential(string tenantId, string clientId, string clientSecret) =>
        new(tenantId, clientId, clientSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = BaseAddress,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(CreatePinnedHandler()),
            Retry = { MaxRetries = 0 },
        });

    /// <summary>
    /// A Graph SDK client talking to the emulator: an auth provider that allows the emulator host, and the SDK's
    /// default handlers (retry, redirect, ...) in front of a pinned handler.
    /// </summary>
    public GraphServiceClient CreateGraphClient(TokenCredential credential)
    {
        var auth = new AzureIdentityAuthenticationProvider(credential, [BaseAddress.Host], null, false, GraphScope);
        var http = GraphClientFactory.Create(finalHandler: CreatePinnedHandler());

        // One at a time: each new client rewrites Kiota's process-wide serializer registry unguarded, and two at once
        // wrap its JSON writer twice (every null is then written twice).
        lock (SerializationWriterFactoryRegistry.DefaultInstance)
        {
            return new GraphServiceClient(http, auth, GraphBaseUrl);
        }
    }

    public GraphServiceClient CreateGraphClient(string tenantId, string clientId, string clientSecret) =>
        CreateGraphClient(CreateCredential(tenantId, clientId, clientSecret));

    /// <summary>Partner tokens are signed with a new key from now on (the old one stays published): an issuer's key rollover.</summary>
    public void RotatePartnerSigningKey() => Tokens.RotatePartnerKey();

    /// <summary>Mints a partner token directly (same as <c>POST /_emulator/partner-tokens</c>).</summary>
    public string MintPartnerToken(string partnerId, IEnumerable<string> roles, TimeSpan? lifetime = null, string? clientId = null) =>
        Tokens.MintPartnerToken(BaseAddress, State.PartnerIssuer, clientId ?? $"{partnerId}-local", partnerId, roles, lifetime ?? TimeSpan.FromHours(1));

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Tokens.Dispose();
    }
}
