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
            using var start = new Barrier(ClientsAtOnce);
            var threads = made.Select(m => new Thread(() =>
            {
                start.SignalAndWait();
                _ = m.Clients.Client(Gateways.Customer);
            })).ToArray();
            foreach (var t in threads)
            {
                t.Start();
            }
            foreach (var t in threads)
            {
                t.Join();
            }

            // Graph (and the emulator) refuse a body naming usageLocation twice; a twice-wrapped writer writes each
            // property set to null once per wrapper.
            var user = await made[round % ClientsAtOnce].Gateway.EnsureUserAsync(Gateways.Customer,
                Gateways.NewUser($"no-location-{round}", usageLocation: null!));
            Assert.Null(user.UsageLocation);
        }
    }
}
