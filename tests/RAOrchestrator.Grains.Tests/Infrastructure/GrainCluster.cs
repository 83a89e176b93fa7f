using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using RAOrchestrator.Directory;
using RAOrchestrator.Grains.Sessions.Storage;
using RAOrchestrator.Grains.Storage;
using RAOrchestrator.Grains.Tenants;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// One in-process silo hosting the grains over Azure Table grain storage on a real Azurite, written with the Orleans
/// serializer and reached through <see cref="LostAnswerStorage"/> as the host does, behind a <see cref="StorageGate"/>
/// the tests can hold writes with (and <see cref="LostAnswers"/>, which drops a write's answer); reminders and the
/// sessions' store in Azurite tables too, the real Graph gateway on the emulator, and a clock the tests move
/// (<see cref="Clock"/>, see <see cref="GrainClock"/>; also at each directory call: <see cref="DirectoryCallTakes"/>).
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    private const string TableStorage = "azure-table";

    private AzuriteProcess? _azurite;
    private GraphEmulatorServer? _emulator;
    private InProcessTestCluster? _cluster;

    public StorageGate Gate { get; } = new();

    /// <summary>The calls each grain has started, for a test that waits until its calls are inside a grain.</summary>
    public GrainCalls Calls { get; } = new();

    /// <summary>Drops the answer of a grain-state write that storage has taken, as a lost connection does.</summary>
    public LostAnswers LostAnswers { get; } = new();

    /// <summary>The grains' clock: it starts at the real time and moves only when a test moves it.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>How far the grains' clock moves at each call to the directory gateway (none unless a test sets it).</summary>
    public TimeSpan DirectoryCallTakes { get; set; }

    /// <summary>Tenant ids per partner id the operator approved: a claim on one is approved at once (tests add to it).</summary>
    public Dictionary<string, List<string>> PreApproved { get; } = new(StringComparer.Ordinal);

    public GraphEmulatorServer Emulator => _emulator ?? throw new InvalidOperationException("The cluster is not started.");

    public IGrainFactory Grains => _cluster?.Client ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>The silo's services (its runtime's, as the grains get them).</summary>
    public IServiceProvider SiloServices => _cluster?.Silos[0].ServiceProvider ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>
    /// Ends the grain's activation, as a crash would: asks the silo to collect idle activations until this one is gone (an
    /// activation still finishing a call or a timer tick is not idle yet, so one request is not always enough).
    /// </summary>
    public async Task DeactivateAsync(GrainId grain)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            if (!(await management.GetDetailedGrainStatistics()).Any(s => s.GrainId == grain))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The activation of {grain} was not collected within 30 s.");
            }

            await Task.Delay(50);
        }
    }

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _emulator = await TestEmulator.StartAsync();
        var connectionString = _azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.UseForGrains(Clock);
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(Calls);
            silo.Services.AddDirectoryGateway(_emulator);
            silo.Services.AddSingleton(sp => SlowDirectory.Wrap(sp.GetRequiredService<GraphDirectoryGateway>(), () => Clock.Advance(DirectoryCallTakes)));
            silo.Services.AddSingleton<ISessionStore>(sp => new TableSessionStore(new TableServiceClient(connectionString), sp.GetRequiredService<Serializer>()));
            silo.Services.Configure<OwnershipOptions>(o => o.PreApproved = PreApproved);
            silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connectionString));
            silo.AddAzureTableGrainStorage(TableStorage, o => o.TableServiceClient = new TableServiceClient(connectionString, StateClientOptions()));
            silo.Services.AddOptions<AzureTableStorageOptions>(TableStorage)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            silo.Services.AddGrainStorage(StorageNames.State, (sp, _) => Gate.Wrap(LostAnswerStorage.Over(sp, TableStorage)));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>
    /// The grain-state table client's options: the client library's retries, over a transport whose answers
    /// <see cref="LostAnswers"/> can drop after storage took the request.
    /// </summary>
    private TableClientOptions StateClientOptions()
    {
        var options = new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(LostAnswers.Around(new SocketsHttpHandler()))) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        return options;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainCluster>
{
    public const string Name = "grain cluster";
}
