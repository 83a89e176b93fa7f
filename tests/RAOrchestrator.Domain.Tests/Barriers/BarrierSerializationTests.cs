using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

/// <summary>The records grains exchange survive Orleans' serializer.</summary>
public sealed class BarrierSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void Configuration_definitions_and_results_round_trip_through_the_orleans_serializer()
    {
        var config = BarrierConfiguration.Empty()
            .AddSegment("A", "Department -eq 'a'").GetValueOrThrow()
            .AddSegment("B", "Department -eq 'b'").GetValueOrThrow()
            .AddPolicy(PolicyDefinition.Allow("PA", "A", "A", "B")).GetValueOrThrow();
        Assert.Equal(config, RoundTrip(config));

        var user = BarrierUser.Create("u1", [new(BarrierAttribute.Department, "a")], ["g1"], proxyAddresses: ["smtp:a@b"]);
        var back = RoundTrip(user);
        Assert.Equal(user.Id, back.Id);
        Assert.Equal("a", back.Get(BarrierAttribute.Department));
        Assert.Equal(user.MemberOf.ToArray(), back.MemberOf.ToArray());

        var result = new BarrierCheckResult(false, BarrierActivity.Call, "a", "b", BarrierDecisionReason.BlockedByPolicy, "P", "a", "S1", "S2");
        Assert.Equal(result, RoundTrip(result));

        var violation = new BarrierViolation(BarrierRule.SegmentInUseByPolicy, BarrierSeverity.Error, "A", "in use");
        Assert.Equal(violation, RoundTrip(violation));
        Assert.Equal(new BarrierSnapshotManifest(1, 2, 3, 4), RoundTrip(new BarrierSnapshotManifest(1, 2, 3, 4)));
    }
}
