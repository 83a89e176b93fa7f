using RAOrchestrator.Domain.Barriers;
using static RAOrchestrator.Domain.Tests.Barriers.TestTenant;

namespace RAOrchestrator.Domain.Tests.Barriers;

public sealed class BarrierSnapshotCodecTests
{
    private static CompiledBarriers Sample(int users)
    {
        var config = Config(null,
            [("A", "Department -eq 'a'"), ("B", "Department -eq 'b'"), ("C", "Company -eq 'c'")],
            PolicyDefinition.Block("PA", "A", "B"), PolicyDefinition.Allow("PB", "B", "B", "C"));
        var rng = new Random(7);
        var list = Enumerable.Range(0, users).Select(i => User(
            $"user-{i:D5}-ü",
            department: rng.Next(4) switch { 0 => "a", 1 => "b", 2 => null, _ => "x" },
            company: rng.Next(3) == 0 ? "c" : null,
            enabled: rng.Next(10) != 0));
        return BarrierCompiler.Compile(config, list);
    }

    private static void AssertSame(CompiledBarriers expected, CompiledBarriers actual)
    {
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.UserCount, actual.UserCount);
        Assert.Equal(expected.SegmentNames, actual.SegmentNames);
        Assert.Equal(expected.PolicyNames, actual.PolicyNames);
        Assert.Equal(expected.Conflicts().Select(c => c.UserId), actual.Conflicts().Select(c => c.UserId));
        Assert.Equal(expected.UsersWithoutSegment(), actual.UsersWithoutSegment());
        for (var a = 0; a < expected.UserCount; a++)
        {
            Assert.Equal(expected.UserIdAt(a), actual.UserIdAt(a));
            Assert.Equal(expected.SegmentsOf(expected.UserIdAt(a)).ToArray(), actual.SegmentsOf(actual.UserIdAt(a)).ToArray());
            for (var b = 0; b < expected.UserCount; b += 7)
            {
                Assert.Equal(expected.Decide(a, b), actual.Decide(a, b));
                Assert.Equal(expected.IsAllowed(a, b), actual.IsAllowed(a, b));
            }
        }
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(250, 64)]
    [InlineData(250, 250)]
    [InlineData(1001, 100)]
    public void Membership_encoded_in_shards_decodes_to_the_same_compiled_version(int users, int perShard)
    {
        var compiled = Sample(users);
        var snapshot = BarrierSnapshotCodec.Encode(compiled, perShard);
        Assert.Equal((users + perShard - 1) / perShard, snapshot.Shards.Count);
        Assert.Equal(snapshot.Manifest, BarrierSnapshotCodec.ReadManifest(snapshot.Header));

        var decoded = BarrierSnapshotCodec.Decode(snapshot.Header, snapshot.Shards.Reverse());
        AssertSame(compiled, decoded);
        Assert.Equal(snapshot.Header, BarrierSnapshotCodec.EncodeHeader(decoded, perShard));
    }

    [Fact]
    public void A_missing_shard_is_refused()
    {
        var s = BarrierSnapshotCodec.Encode(Sample(300), 100);
        var e = Assert.Throws<BarrierSnapshotException>(() => BarrierSnapshotCodec.Decode(s.Header, s.Shards.Take(2)));
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_byte_is_refused_by_the_checksum()
    {
        var s = BarrierSnapshotCodec.Encode(Sample(300), 100);
        var shards = s.Shards.Select(x => (byte[])x.Clone()).ToArray();
        shards[1][30] ^= 0x40;
        Assert.Throws<BarrierSnapshotException>(() => BarrierSnapshotCodec.Decode(s.Header, shards));
        Assert.Throws<BarrierSnapshotException>(() => BarrierSnapshotCodec.Decode(s.Header.AsSpan(0, s.Header.Length - 1), s.Shards));
    }

    [Fact]
    public void A_shard_of_another_compiled_version_is_refused()
    {
        var one = BarrierSnapshotCodec.Encode(Sample(300), 100);
        var other = BarrierSnapshotCodec.Encode(Sample(301), 100);
        var e = Assert.Throws<BarrierSnapshotException>(() => BarrierSnapshotCodec.Decode(one.Header, [one.Shards[0], other.Shards[1], one.Shards[2]]));
        Assert.Contains("version", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_passed_as_header_is_refused()
    {
        var s = BarrierSnapshotCodec.Encode(Sample(10), 100);
        Assert.Throws<BarrierSnapshotException>(() => BarrierSnapshotCodec.Decode(s.Shards[0], s.Shards));
    }
}
