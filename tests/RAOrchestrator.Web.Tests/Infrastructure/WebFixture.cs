using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>What the browser tests of the "web" collection share: Azurite, the Graph emulator, one host and one Chromium.</summary>
public sealed class WebFixture : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; private set; } = null!;
    public GraphEmulatorServer Emulator { get; private set; } = null!;
    public LoopbackHost Host { get; private set; } = null!;
    public Chromium Chromium { get; private set; } = null!;

    /// <summary>The host of every Teams join URL, which this collection's browser resolves to the emulator.</summary>
    public const string TeamsHost = "teams.microsoft.com";

    public async Task InitializeAsync()
    {
        // The browser first: without Chromium every test fails at once with how to install it.
        SystemChromium.Path();
        Azurite = await AzuriteProcess.StartAsync();
        Emulator = await TestEmulator.StartAsync();
        Host = await LoopbackHost.StartAsync(Azurite, Emulator);
        // The browser finds Teams at the emulator: a redirect to a meeting's join URL lands on the emulator's page for it.
        Chromium = await Chromium.LaunchAsync(new Dictionary<string, Uri> { [TeamsHost] = Emulator.BaseAddress }, Emulator.Certificate);
    }

    private Task<LoopbackHost>? _partnerIssuerHost;

    /// <summary>A second host, started on first use, whose partner authority is the emulator's partner issuer (where partners' staff sign in).</summary>
    public Task<LoopbackHost> PartnerIssuerHostAsync() => _partnerIssuerHost ??= LoopbackHost.StartWithPartnerIssuerAsync(Azurite, Emulator);

    /// <summary>A fresh browser window (its own cookies) on the shared Chromium.</summary>
    public Task<BrowserSession> BrowserAsync() => Chromium.NewSessionAsync();

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_partnerIssuerHost is { IsCompletedSuccessfully: true })
        {
            await (await _partnerIssuerHost).DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
