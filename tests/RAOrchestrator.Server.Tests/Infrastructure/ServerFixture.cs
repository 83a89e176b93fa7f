using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>One Azurite and one host shared by the end-to-end tests of the "server" collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; private set; } = null!;
    public GraphEmulatorServer Emulator { get; private set; } = null!;
    public Tokens Tokens { get; } = new();
    public ServerInstance Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Emulator = await TestEmulator.StartAsync();
        // Spans recorded without an exporter: TracingTests listens to them in process.
        Server = await ServerInstance.StartAsync(Azurite, Emulator, Tokens, "shared", new Dictionary<string, string?> { ["Telemetry:Traces"] = "on" });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
