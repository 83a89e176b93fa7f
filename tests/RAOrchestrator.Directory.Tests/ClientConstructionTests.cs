using System.Collections.Concurrent;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace RAOrchestrator.Directory.Tests;

/// <summary>
/// Kiota keeps its serializers in a process-wide registry that every new Graph client rewrites (it wraps the JSON
/// writer in the backing store's proxy). These tests reset that registry, so they run alone.
/// </summary>
[CollectionDefinition(nameof(KiotaRegistryCollection), DisableParallelization = true)]
public sealed class KiotaRegistryCollection;

[Collection(nameof(KiotaRegistryCollection))]
public sealed class ClientConstructionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Json = "application/json";
    private const int Rounds = 40;
    private const int ClientsAtOnce = 8;

    [Fact]
    public async Task Graph_clients_made_at_the_same_moment_still_send_an_explicit_null_once()
    {
        var registry = SerializationWriterFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories;
        for (var round = 0; round < Rounds; round++)
        {
            // A process that has made no Graph client yet: the JSON writer is not wrapped.
            registry[Json] = new JsonSerializationWriterFactory();
            var made = Enumerable.Range(0, ClientsAtOnce).Select(_ => Gateways.For(fixture.Emulator)).ToArray();
            try
            {
                MakeClientsAtOnce(made.Select(m => m.Clients).ToArray());

                // The emulator refuses a body naming usageLocation twice (as a strict JSON reader does); a writer
                // wrapped twice writes each property set to null once per wrapper.
                var user = await made[round % ClientsAtOnce].Gateway.EnsureUserAsync(Gateways.Customer,
                    Gateways.NewUser($"no-location-{round}", usageLocation: null!));
                Assert.Null(user.UsageLocation);
            }
            finally
            {
                foreach (var m in made)
                {
                    m.Clients.Dispose();
                }
            }
        }
    }

    /// <summary>Each set of clients makes its tenant's Graph client on its own thread, all released at once.</summary>
    private static void MakeClientsAtOnce(TenantGraphClients[] clients)
    {
        using var start = new Barrier(clients.Length);
        var failures = new ConcurrentQueue<Exception>();
        var threads = clients.Select(c => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                _ = c.Client(Gateways.Customer);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        Assert.Empty(failures);
    }
}
