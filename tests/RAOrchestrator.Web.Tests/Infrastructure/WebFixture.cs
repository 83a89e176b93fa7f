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

    public async Task InitializeAsync()
    {
        // The browser first: without Chromium every test fails at once with how to install it.
        SystemChromium.Path();
        Azurite = await AzuriteProcess.StartAsync();
        Emulator = await TestEmulator.StartAsync();
        Host = await LoopbackHost.StartAsync(Azurite, Emulator);
        Chromium = await Chromium.LaunchAsync(Emulator.Certificate);
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
