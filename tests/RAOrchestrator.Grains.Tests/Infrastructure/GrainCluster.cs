using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// One in-process silo hosting the grains over Azure Table grain storage on a real Azurite, written with the Orleans
/// serializer as the host does, behind a <see cref="StorageGate"/> the tests can hold writes with.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    private const string TableStorage = "azure-table";

    private AzuriteProcess? _azurite;
    private InProcessTestCluster? _cluster;

    public StorageGate Gate { get; } = new();

    public IGrainFactory Grains => _cluster?.Client ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        var connectionString = _azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.AddAzureTableGrainStorage(TableStorage, o => o.TableServiceClient = new Azure.Data.Tables.TableServiceClient(connectionString));
            silo.Services.AddOptions<AzureTableStorageOptions>(TableStorage)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            silo.Services.AddGrainStorage(StorageNames.State, (sp, _) => Gate.Wrap(sp.GetRequiredKeyedService<IGrainStorage>(TableStorage)));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
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
