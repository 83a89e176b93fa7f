using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Bench;

/// <summary>
/// A synthetic tenant shaped like an MSP customer: department segments, vendor segments by company, a few
/// location-qualified ones; block pairs between sensitive departments, allow policies around vendor segments.
/// </summary>
internal static class SyntheticTenant
{
    public static BarrierConfiguration Configuration(BarrierMode mode, int segmentCount, Random rng)
    {
        var config = BarrierConfiguration.Empty(new BarrierSettings(mode, BarrierGeneration.Modern));
        var vendorSegments = segmentCount / 10;
        for (var i = 0; i < segmentCount; i++)
        {
            string filter;
            if (mode == BarrierMode.MultiSegment)
            {
                filter = i < vendorSegments ? $"Company -eq 'Vendor {i}'" : $"MemberOf -eq 'group-{i}'";
            }
            else if (i < vendorSegments)
            {
                filter = $"Company -eq 'Vendor {i}'";
            }
            else if (i % 25 == 0)
            {
                filter = $"Department -eq 'Dept {i}' -and (UsageLocation -eq 'DE' -or UsageLocation -eq 'AT')";
            }
            else
            {
                filter = $"Department -eq 'Dept {i}'";
            }

            config = config.AddSegment($"Segment-{i:D4}", filter).GetValueOrThrow();
        }

        var names = config.Segments.Select(s => s.Name).ToArray();
        var policies = new List<PolicyDefinition>();
        var assigned = new HashSet<int>();
        if (mode == BarrierMode.SingleSegment)
        {
            // Sensitive departments block each other in pairs (both directions), ~40% of segments.
            for (var i = vendorSegments; i + 1 < segmentCount && assigned.Count < segmentCount * 4 / 10; i += 2)
            {
                var blocked = Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => vendorSegments + rng.Next(segmentCount - vendorSegments))
                    .Append(i + 1).Where(x => x != i).Distinct().ToList();
                policies.Add(new PolicyDefinition($"Block-{i}", names[i], PolicyKind.Block, [.. blocked.Select(x => names[x])], PolicyState.Active));
                assigned.Add(i);
            }
        }

        // Vendors may talk only to themselves and a handful of field departments.
        for (var v = 0; v < vendorSegments; v++)
        {
            var allowed = Enumerable.Range(0, 3 + rng.Next(10)).Select(_ => vendorSegments + rng.Next(segmentCount - vendorSegments)).Append(v).Distinct();
            policies.Add(new PolicyDefinition($"Allow-Vendor-{v}", names[v], PolicyKind.Allow, [.. allowed.Select(x => names[x])], PolicyState.Active));
            assigned.Add(v);
        }

        if (mode == BarrierMode.MultiSegment)
        {
            // Some project groups only talk to themselves and related groups.
            for (var i = vendorSegments; i < segmentCount; i += 3)
            {
                var allowed = Enumerable.Range(0, 2 + rng.Next(20)).Select(_ => rng.Next(segmentCount)).Append(i).Distinct();
                policies.Add(new PolicyDefinition($"Allow-{i}", names[i], PolicyKind.Allow, [.. allowed.Select(x => names[x])], PolicyState.Active));
            }
        }

        foreach (var p in policies)
        {
            config = config.AddPolicy(p).GetValueOrThrow();
        }

        return config;
    }

    public static List<BarrierUser> Users(BarrierMode mode, int count, int segmentCount, Random rng)
    {
        var vendorSegments = segmentCount / 10;
        var users = new List<BarrierUser>(count);
        for (var i = 0; i < count; i++)
        {
            var attributes = new List<KeyValuePair<BarrierAttribute, string>>
            {
                new(BarrierAttribute.UserPrincipalName, $"user{i}@contoso.example"),
                new(BarrierAttribute.UsageLocation, rng.Next(4) == 0 ? "DE" : "US"),
            };
            var groups = new List<string>();
            var isVendor = rng.Next(20) == 0;
            if (isVendor)
            {
                attributes.Add(new(BarrierAttribute.Company, $"Vendor {rng.Next(vendorSegments)}"));
            }

            // Departments: a few beyond the segmented ones leave users in no segment; rare vendors also have a department (conflict in single mode).
            if (!isVendor || rng.Next(50) == 0)
            {
                attributes.Add(new(BarrierAttribute.Department, $"Dept {vendorSegments + rng.Next(segmentCount - vendorSegments + 10)}"));
            }

            if (mode == BarrierMode.MultiSegment && !isVendor)
            {
                var n = 1 + rng.Next(3);
                for (var g = 0; g < n; g++)
                {
                    groups.Add($"group-{vendorSegments + rng.Next(segmentCount - vendorSegments)}");
                }
            }

            var idBytes = new byte[16];
            rng.NextBytes(idBytes);
            users.Add(BarrierUser.Create(new Guid(idBytes).ToString(), attributes, groups, accountEnabled: rng.Next(50) != 0));
        }

        return users;
    }
}
