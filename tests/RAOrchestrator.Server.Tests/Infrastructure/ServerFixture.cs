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

/// <summary>
/// The collection that runs beside the "server" collection, on a fixture of its own (its own Azurite, emulator and
/// host): tests that spend most of their time waiting on restarts, crashes and long operations and assert nothing about
/// how fast anything happens, so their waits overlap the other collection's work. Its hosts share this process with the
/// other collection's: a test that listens to process-wide events (activities, meters) must tell its own host's apart.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WaitingServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server-waiting";
}

/// <summary>
/// Tests that load the host to its limit (thousands of sessions at once) or measure shares of a rate, on a fixture of
/// their own: they run after the parallel collections, alone, so another collection's hosts neither starve them into
/// their deadlines nor skew what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server-load";
}
