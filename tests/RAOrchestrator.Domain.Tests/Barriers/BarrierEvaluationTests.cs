using RAOrchestrator.Domain.Barriers;
using static RAOrchestrator.Domain.Tests.Barriers.TestTenant;

namespace RAOrchestrator.Domain.Tests.Barriers;

public sealed class BarrierEvaluationTests
{
    private static readonly (string, string)[] VendorSegments =
    [
        ("Vendors-OEM", "Company -eq 'OEM Ltd'"),
        ("Field-Technicians", "Department -eq 'Field Service'"),
        ("Finance", "Department -eq 'Finance'"),
    ];

    private static readonly BarrierUser Vendor = User("svc-oem-1", company: "OEM Ltd");
    private static readonly BarrierUser Technician = User("tech-1", department: "Field Service");
    private static readonly BarrierUser Accountant = User("fin-1", department: "Finance");
    private static readonly BarrierUser Nobody = User("plain-1", department: "Marketing");

    private static CompiledBarriers Compile(BarrierConfiguration config, params BarrierUser[] users) => BarrierCompiler.Compile(config, users);

    [Theory]
    [InlineData(BarrierActivity.Call)]
    [InlineData(BarrierActivity.InviteToMeeting)]
    [InlineData(BarrierActivity.ShareScreen)]
    public void Vendor_accounts_reach_field_technicians_but_not_finance_with_two_one_way_blocks(BarrierActivity activity)
    {
        var config = Config(null, VendorSegments,
            PolicyDefinition.Block("Vendors-block-Finance", "Vendors-OEM", "Finance"),
            PolicyDefinition.Block("Finance-block-Vendors", "Finance", "Vendors-OEM"));
        var c = Compile(config, Vendor, Technician, Accountant);

        Assert.True(c.Check("svc-oem-1", "tech-1", activity).Allowed);
        Assert.True(c.Check("tech-1", "svc-oem-1", activity).Allowed);

        var toFinance = c.Check("svc-oem-1", "fin-1", activity);
        Assert.False(toFinance.Allowed);
        Assert.Equal(BarrierDecisionReason.BlockedByPolicy, toFinance.Reason);
        Assert.Equal("Vendors-block-Finance", toFinance.DecidingPolicy);
        Assert.Equal("Vendors-OEM", toFinance.DecidingSegment);
        Assert.Equal("Finance", toFinance.OtherSegment);
        Assert.Equal(activity, toFinance.Activity);

        var fromFinance = c.Check("fin-1", "svc-oem-1", activity);
        Assert.False(fromFinance.Allowed);
        Assert.Equal("Finance-block-Vendors", fromFinance.DecidingPolicy);
        Assert.Empty(config.Warnings());
    }

    [Fact]
    public void Vendor_accounts_reach_field_technicians_but_not_finance_with_two_one_way_allows()
    {
        var config = Config(null, VendorSegments,
            PolicyDefinition.Allow("Vendors-allow", "Vendors-OEM", "Vendors-OEM", "Field-Technicians"),
            PolicyDefinition.Allow("Technicians-allow", "Field-Technicians", "Field-Technicians", "Vendors-OEM", "Finance"));
        var c = Compile(config, Vendor, Technician, Accountant);

        Assert.True(c.Check("svc-oem-1", "tech-1", BarrierActivity.Chat).Allowed);
        Assert.True(c.Check("tech-1", "svc-oem-1", BarrierActivity.Chat).Allowed);
        Assert.True(c.Check("tech-1", "fin-1", BarrierActivity.Chat).Allowed);

        var toFinance = c.Check("svc-oem-1", "fin-1", BarrierActivity.Chat);
        Assert.False(toFinance.Allowed);
        Assert.Equal(BarrierDecisionReason.NotInAllowList, toFinance.Reason);
        Assert.Equal("Vendors-allow", toFinance.DecidingPolicy);

        var fromFinance = c.Check("fin-1", "svc-oem-1", BarrierActivity.Search);
        Assert.False(fromFinance.Allowed);
        Assert.Equal("Vendors-allow", fromFinance.DecidingPolicy);
        Assert.Equal("svc-oem-1", fromFinance.DecidingUser);
    }

    [Fact]
    public void Inactive_policies_do_not_count()
    {
        var config = BarrierConfiguration.Create(BarrierSettings.Default,
            VendorSegments.Select(s => new SegmentDefinition(s.Item1, s.Item2)),
            [PolicyDefinition.Block("Vendors-block-Finance", "Vendors-OEM", "Finance")]).GetValueOrThrow();
        var c = Compile(config, Vendor, Accountant);
        var r = c.Check("svc-oem-1", "fin-1", BarrierActivity.Chat);
        Assert.True(r.Allowed);
        Assert.Equal(BarrierDecisionReason.NoActivePolicies, r.Reason);
    }

    [Fact]
    public void A_user_matching_two_segments_in_single_segment_mode_is_a_reported_conflict_and_is_denied()
    {
        var config = Config(null, [("Sales", "Department -eq 'Sales'"), ("London", "PhysicalDeliveryOfficeName -eq 'London'")],
            PolicyDefinition.Block("Sales-London", "Sales", "London"), PolicyDefinition.Block("London-Sales", "London", "Sales"));
        var both = BarrierUser.Create("both", [new(BarrierAttribute.Department, "Sales"), new(BarrierAttribute.PhysicalDeliveryOfficeName, "London")]);
        var c = Compile(config, both, User("s", department: "sales"));

        var conflict = Assert.Single(c.Conflicts());
        Assert.Equal("both", conflict.UserId);
        Assert.Equal(new[] { "Sales", "London" }, conflict.Segments.ToArray());
        Assert.Contains(c.Findings, f => f.Rule == BarrierRule.UserSegmentConflict && f.Subject == "both");
        var r = c.Check("s", "both", BarrierActivity.Chat);
        Assert.False(r.Allowed);
        Assert.Equal(BarrierDecisionReason.SegmentConflict, r.Reason);
        Assert.Equal("both", r.DecidingUser);
    }

    [Fact]
    public void In_multi_segment_mode_users_sharing_a_segment_may_communicate_and_others_may_not()
    {
        // Microsoft's multi-segment table: A {1,2}, B {3,4}, C {2,4}: A-C and B-C compatible, A-B not.
        var settings = new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern);
        var segments = Enumerable.Range(1, 4).Select(i => ($"Segment{i}", $"MemberOf -eq 'g{i}'")).ToArray();
        var config = Config(settings, segments, [.. Enumerable.Range(1, 4).Select(i => PolicyDefinition.Allow($"P{i}", $"Segment{i}", $"Segment{i}"))]);
        var c = Compile(config,
            User("A", groups: ["g1", "g2"]),
            User("B", groups: ["g3", "g4"]),
            User("C", groups: ["g2", "g4"]));

        var ac = c.Check("A", "C", BarrierActivity.GroupChat);
        Assert.True(ac.Allowed);
        Assert.Equal(BarrierDecisionReason.SharedSegment, ac.Reason);
        Assert.Equal("Segment2", ac.DecidingSegment);
        Assert.True(c.Check("B", "C", BarrierActivity.GroupChat).Allowed);
        Assert.False(c.Check("A", "B", BarrierActivity.GroupChat).Allowed);
        Assert.Empty(c.Conflicts());
    }

    [Fact]
    public void In_multi_segment_mode_users_communicate_when_each_policy_allows_the_other()
    {
        var settings = new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern);
        var config = Config(settings, [("S1", "MemberOf -eq 'g1'"), ("S2", "MemberOf -eq 'g2'"), ("S3", "MemberOf -eq 'g3'")],
            PolicyDefinition.Allow("P1", "S1", "S1", "S2"),
            PolicyDefinition.Allow("P2", "S2", "S2", "S1"),
            PolicyDefinition.Allow("P3", "S3", "S3", "S1"));
        var c = Compile(config, User("u1", groups: ["g1"]), User("u2", groups: ["g2"]), User("u3", groups: ["g3"]));
        var r = c.Check("u1", "u2", BarrierActivity.Call);
        Assert.True(r.Allowed);
        Assert.Equal(BarrierDecisionReason.PermittedByPolicies, r.Reason);
        Assert.False(c.Check("u1", "u3", BarrierActivity.Call).Allowed);
    }

    [Fact]
    public void More_than_ten_segments_in_multi_segment_mode_is_a_conflict()
    {
        var settings = new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern);
        var segments = Enumerable.Range(1, 11).Select(i => ($"S{i}", $"MemberOf -eq 'g{i}'")).ToArray();
        var config = Config(settings, segments, PolicyDefinition.Allow("P1", "S1", "S1"));
        var ten = User("ten", groups: [.. Enumerable.Range(1, 10).Select(i => $"g{i}")]);
        var eleven = User("eleven", groups: [.. Enumerable.Range(1, 11).Select(i => $"g{i}")]);
        var c = Compile(config, ten, eleven);
        Assert.Equal("eleven", Assert.Single(c.Conflicts()).UserId);
    }

    [Fact]
    public void Users_in_no_segment_stay_reachable_on_the_current_version()
    {
        var config = Config(null, VendorSegments,
            PolicyDefinition.Allow("Vendors-allow", "Vendors-OEM", "Vendors-OEM", "Field-Technicians"),
            PolicyDefinition.Block("Finance-block", "Finance", "Vendors-OEM"));
        var c = Compile(config, Vendor, Accountant, Nobody, User("plain-2"));

        Assert.Equal(new[] { "plain-1", "plain-2" }, c.UsersWithoutSegment().ToArray());
        Assert.True(c.Check("svc-oem-1", "plain-1", BarrierActivity.Chat).Allowed);
        Assert.True(c.Check("plain-1", "fin-1", BarrierActivity.Chat).Allowed);
        var r = c.Check("plain-1", "plain-2", BarrierActivity.Chat);
        Assert.True(r.Allowed);
        Assert.Equal(BarrierDecisionReason.NotRestricted, r.Reason);
    }

    [Fact]
    public void Users_in_no_segment_are_hidden_from_allow_policy_users_on_the_legacy_version()
    {
        var legacy = new BarrierSettings(BarrierMode.SingleSegment, BarrierGeneration.Legacy);
        var config = Config(legacy, VendorSegments,
            PolicyDefinition.Allow("Vendors-allow", "Vendors-OEM", "Vendors-OEM", "Field-Technicians"),
            PolicyDefinition.Block("Finance-block", "Finance", "Vendors-OEM"));
        var c = Compile(config, Vendor, Accountant, Nobody);

        var r = c.Check("plain-1", "svc-oem-1", BarrierActivity.Search);
        Assert.False(r.Allowed);
        Assert.Equal(BarrierDecisionReason.UnsegmentedUserHiddenByAllowPolicy, r.Reason);
        Assert.Equal("svc-oem-1", r.DecidingUser);
        Assert.True(c.Check("plain-1", "fin-1", BarrierActivity.Search).Allowed);
    }

    [Fact]
    public void Disabled_accounts_cannot_communicate_with_anyone_once_barriers_are_in_effect()
    {
        var config = Config(null, VendorSegments, PolicyDefinition.Block("Finance-block", "Finance", "Vendors-OEM"));
        var disabled = User("old-tech", department: "Field Service", enabled: false);
        var c = Compile(config, Technician, disabled, Nobody);

        var r = c.Check("tech-1", "old-tech", BarrierActivity.Chat);
        Assert.False(r.Allowed);
        Assert.Equal(BarrierDecisionReason.AccountDisabled, r.Reason);
        Assert.Equal("old-tech", r.DecidingUser);
        Assert.False(c.Check("old-tech", "plain-1", BarrierActivity.Chat).Allowed);
        Assert.Equal(new[] { "Field-Technicians" }, c.SegmentsOf("old-tech").ToArray());
    }

    [Fact]
    public void Hidden_accounts_are_treated_like_disabled_ones()
    {
        var config = Config(null, VendorSegments, PolicyDefinition.Block("Finance-block", "Finance", "Vendors-OEM"));
        var hidden = User("hidden", department: "Field Service") with { HiddenFromAddressLists = true };
        var c = Compile(config, Technician, hidden);
        Assert.Equal(BarrierDecisionReason.AccountDisabled, c.Check("tech-1", "hidden", BarrierActivity.Chat).Reason);
    }

    [Fact]
    public void An_unknown_user_is_denied()
    {
        var config = Config(null, VendorSegments, PolicyDefinition.Block("Finance-block", "Finance", "Vendors-OEM"));
        var r = Compile(config, Technician).Check("tech-1", "ghost", BarrierActivity.Chat);
        Assert.False(r.Allowed);
        Assert.Equal(BarrierDecisionReason.UserNotFound, r.Reason);
        Assert.Equal("ghost", r.DecidingUser);
        Assert.Contains("ghost", r.Message, StringComparison.Ordinal);
        Assert.Equal(BarrierDecisionReason.UserNotFound, Compile(config, Technician).Decide("ghost", "tech-1").Reason);
        Assert.False(Compile(config, Technician).IsAllowed("tech-1", "ghost"));
    }

    [Fact]
    public void Filters_compare_attribute_values_case_insensitively_and_ne_matches_missing_values()
    {
        var config = Config(null, [("NotSales", "Department -ne 'Sales'"), ("Proxy", "ProxyAddresses -eq 'SMTP:A@X.COM'")],
            PolicyDefinition.Block("P", "NotSales", "Proxy"));
        var c = Compile(config, User("sales", department: "SALES"), User("none"), BarrierUser.Create("proxy", [new(BarrierAttribute.Department, "Sales")], proxyAddresses: ["smtp:a@x.com"]));
        Assert.Empty(c.SegmentsOf("sales"));
        Assert.Equal(new[] { "NotSales" }, c.SegmentsOf("none").ToArray());
        Assert.Equal(new[] { "Proxy" }, c.SegmentsOf("proxy").ToArray());
    }

    [Fact]
    public void Graph_properties_map_to_filter_attributes_in_one_place()
    {
        var user = BarrierUser.FromGraph("id", true, "Member",
        [
            new("department", "Field Service"),
            new("companyName", "OEM Ltd"),
            new("officeLocation", "Plant 4"),
            new("country", "Germany"),
            new("onPremisesExtensionAttributes.extensionAttribute7", "vendor"),
            new("displayName", "ignored"),
        ]);
        Assert.Equal("OEM Ltd", user.Get(BarrierAttribute.Company));
        Assert.Equal("Plant 4", user.Get(BarrierAttribute.PhysicalDeliveryOfficeName));
        Assert.Equal("Germany", user.Get(BarrierAttribute.Co));
        Assert.Equal("vendor", user.Get(BarrierAttribute.ExtensionAttribute7));
        Assert.Equal(4 + 1, user.Attributes.Count);
    }
}
