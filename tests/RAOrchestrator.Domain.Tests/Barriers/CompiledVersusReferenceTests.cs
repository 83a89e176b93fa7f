using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

/// <summary>Property-style: on randomized configurations (fixed seeds) the compiled engine agrees with the naive evaluator.</summary>
public sealed class CompiledVersusReferenceTests
{
    private static readonly string[] Departments = ["A", "b", "C", "d"];
    private static readonly string[] Companies = ["X", "y"];
    private static readonly string[] Groups = ["g1", "g2", "G3", "g4"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Compiled_answers_equal_the_naive_reference_evaluator_on_random_configurations(int seed)
    {
        var reasons = new HashSet<BarrierDecisionReason>();
        for (var round = 0; round < 40; round++)
        {
            var rng = new Random((seed * 1000) + round);
            var config = RandomConfiguration(rng);
            var users = RandomUsers(rng, rng.Next(0, 40));
            var reference = new ReferenceEvaluator(config, users);
            var compiled = BarrierCompiler.Compile(config, users);
            var bitsets = BarrierCompiler.Compile(config, users, new BarrierCompileOptions(MaxMatrixRows: 0));
            var direct = BarrierCompiler.Compile(config, users, new BarrierCompileOptions(MaxMatrixRows: 0, MaxSetBitsetWords: 0));
            Assert.True(compiled.HasMatrix && bitsets.HasSetBitsets && !direct.HasMatrix && !direct.HasSetBitsets);
            var snapshot = BarrierSnapshotCodec.Encode(compiled, 1 + rng.Next(16));
            var decoded = BarrierSnapshotCodec.Decode(snapshot.Header, snapshot.Shards);

            for (var a = 0; a < users.Count; a++)
            {
                Assert.Equal(reference.SegmentsOf(users[a]), compiled.SegmentsOf(users[a].Id).ToList());
                for (var b = 0; b < users.Count; b++)
                {
                    var expected = reference.Check(users[a], users[b]);
                    var actual = compiled.Check(users[a].Id, users[b].Id, BarrierActivity.Chat);
                    reasons.Add(actual.Reason);
                    var context = $"seed {seed} round {round} {users[a].Id}->{users[b].Id} {config.Settings}";
                    Assert.True(expected.Allowed == actual.Allowed, context);
                    Assert.True(expected.Reason == actual.Reason, $"{context}: {expected.Reason} vs {actual.Reason}");
                    Assert.True(expected.Policy == actual.DecidingPolicy, $"{context}: {expected.Policy} vs {actual.DecidingPolicy}");
                    Assert.True(expected.Allowed == compiled.IsAllowed(a, b), context + " (matrix)");
                    Assert.True(expected.Allowed == decoded.IsAllowed(a, b), context + " (decoded)");
                    Assert.True(expected.Allowed == bitsets.IsAllowed(a, b), context + " (set bitsets)");
                    Assert.True(expected.Allowed == direct.IsAllowed(a, b), context + " (direct)");
                }
            }
        }

        // The generator must exercise most of the decision space, or agreement proves little.
        Assert.True(reasons.Count >= 7, string.Join(", ", reasons));
    }

    private static BarrierConfiguration RandomConfiguration(Random rng)
    {
        var settings = rng.Next(3) switch
        {
            0 => new BarrierSettings(BarrierMode.SingleSegment, BarrierGeneration.Modern),
            1 => new BarrierSettings(BarrierMode.SingleSegment, BarrierGeneration.Legacy),
            _ => new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern),
        };
        var config = BarrierConfiguration.Empty(settings);
        var segmentCount = rng.Next(1, 9);
        for (var i = 0; i < segmentCount; i++)
        {
            config = config.AddSegment($"S{i}", RandomFilter(rng, 0)).GetValueOrThrow();
        }

        foreach (var s in config.Segments)
        {
            if (rng.Next(4) == 0)
            {
                continue;
            }

            var kind = settings.Mode == BarrierMode.MultiSegment || rng.Next(2) == 0 ? PolicyKind.Allow : PolicyKind.Block;
            var targets = config.Segments.Where(_ => rng.Next(3) == 0).Select(t => t.Name).ToList();
            if (kind == PolicyKind.Allow && !targets.Contains(s.Name))
            {
                targets.Add(s.Name);
            }

            if (targets.Count == 0)
            {
                targets.Add(config.Segments[rng.Next(config.Segments.Length)].Name);
            }

            var state = rng.Next(5) == 0 ? PolicyState.Inactive : PolicyState.Active;
            config = config.AddPolicy(new PolicyDefinition($"P-{s.Name}", s.Name, kind, [.. targets], state)).GetValueOrThrow();
        }

        return config;
    }

    private static string RandomFilter(Random rng, int depth)
    {
        if (depth < 2 && rng.Next(3) == 0)
        {
            var op = rng.Next(2) == 0 ? " -and " : " -or ";
            return $"({RandomFilter(rng, depth + 1)}{op}{RandomFilter(rng, depth + 1)})";
        }

        var ne = rng.Next(5) == 0 ? "-ne" : "-eq";
        return rng.Next(3) switch
        {
            0 => $"Department {ne} '{Departments[rng.Next(Departments.Length)].ToUpperInvariant()}'",
            1 => $"Company {ne} '{Companies[rng.Next(Companies.Length)]}'",
            _ => $"MemberOf {ne} '{Groups[rng.Next(Groups.Length)].ToLowerInvariant()}'",
        };
    }

    private static List<BarrierUser> RandomUsers(Random rng, int count)
    {
        var users = new List<BarrierUser>();
        for (var i = 0; i < count; i++)
        {
            var attributes = new List<KeyValuePair<BarrierAttribute, string>>();
            if (rng.Next(5) != 0)
            {
                attributes.Add(new(BarrierAttribute.Department, Departments[rng.Next(Departments.Length)]));
            }

            if (rng.Next(2) == 0)
            {
                attributes.Add(new(BarrierAttribute.Company, Companies[rng.Next(Companies.Length)]));
            }

            var groups = Groups.Where(_ => rng.Next(3) == 0).ToList();
            users.Add(BarrierUser.Create($"u{i}", attributes, groups, accountEnabled: rng.Next(12) != 0) with { HiddenFromAddressLists = rng.Next(40) == 0 });
        }

        return users;
    }
}
