using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

public sealed class BarrierConfigurationRuleTests
{
    private static BarrierConfiguration ThreeSegments(BarrierSettings? settings = null)
    {
        var c = BarrierConfiguration.Empty(settings);
        c = c.AddSegment("Sales", "Department -eq 'Sales'").GetValueOrThrow();
        c = c.AddSegment("Research", "Department -eq 'Research'").GetValueOrThrow();
        return c.AddSegment("HR", "Department -eq 'HR'").GetValueOrThrow();
    }

    private static void AssertRefused(BarrierResult<BarrierConfiguration> result, BarrierRule rule)
    {
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors, e => e.Rule == rule);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Reason_codes_are_upper_snake_names_of_the_rules()
    {
        Assert.Equal("POLICY_ALLOW_LIST_MISSING_OWN_SEGMENT", BarrierRules.Code(BarrierRule.PolicyAllowListMissingOwnSegment));
        Assert.Equal("SEGMENT_IN_USE_BY_POLICY", BarrierRules.Code(BarrierRule.SegmentInUseByPolicy));
        Assert.Equal(Enum.GetValues<BarrierRule>().Length, Enum.GetValues<BarrierRule>().Select(BarrierRules.Code).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" Sales")]
    [InlineData("Sales ")]
    [InlineData("Sales,Research")]
    [InlineData("Sales'")]
    [InlineData("a\nb")]
    public void An_invalid_segment_name_is_refused(string name) =>
        AssertRefused(BarrierConfiguration.Empty().AddSegment(name, "Department -eq 'X'"), BarrierRule.SegmentNameInvalid);

    [Fact]
    public void A_segment_name_longer_than_the_limit_is_refused() =>
        AssertRefused(BarrierConfiguration.Empty().AddSegment(new string('a', BarrierLimits.MaxNameLength + 1), "Department -eq 'X'"), BarrierRule.SegmentNameInvalid);

    [Fact]
    public void A_duplicate_segment_name_is_refused_case_insensitively() =>
        AssertRefused(ThreeSegments().AddSegment("sales", "Department -eq 'X'"), BarrierRule.SegmentNameDuplicate);

    [Fact]
    public void A_segment_with_a_malformed_filter_is_refused_naming_the_column()
    {
        var r = BarrierConfiguration.Empty().AddSegment("Bad", "Department -eq");
        AssertRefused(r, BarrierRule.SegmentFilterInvalid);
        Assert.Contains("Column 15", r.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_segment_filter_is_stored_in_canonical_form()
    {
        var c = BarrierConfiguration.Empty().AddSegment("S", "department -EQ \"x\"").GetValueOrThrow();
        Assert.Equal("Department -eq 'x'", c.Segments.Single().UserGroupFilter);
    }

    [Fact]
    public void A_segment_cannot_be_renamed() =>
        AssertRefused(ThreeSegments().UpdateSegment("Sales", new SegmentDefinition("Sales2", "Department -eq 'Sales'")), BarrierRule.SegmentRenameNotSupported);

    [Fact]
    public void A_segment_filter_can_be_changed()
    {
        var c = ThreeSegments().UpdateSegment("Sales", new SegmentDefinition("Sales", "Department -eq 'Sales EU'")).GetValueOrThrow();
        Assert.Equal("Department -eq 'Sales EU'", c.FindSegment("Sales")!.UserGroupFilter);
    }

    [Fact]
    public void Updating_or_removing_an_unknown_segment_is_refused()
    {
        AssertRefused(ThreeSegments().UpdateSegment("Nope", new SegmentDefinition("Nope", "Department -eq 'x'")), BarrierRule.SegmentNotFound);
        AssertRefused(ThreeSegments().RemoveSegment("Nope"), BarrierRule.SegmentNotFound);
    }

    [Fact]
    public void Deleting_a_segment_used_by_a_policy_is_refused()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("Sales-Research", "Sales", "Research")).GetValueOrThrow();
        AssertRefused(c.RemoveSegment("Research"), BarrierRule.SegmentInUseByPolicy);
        AssertRefused(c.RemoveSegment("Sales"), BarrierRule.SegmentInUseByPolicy);
        Assert.True(c.RemoveSegment("HR").Succeeded);
    }

    [Fact]
    public void The_segment_limit_of_the_legacy_version_is_250()
    {
        var c = BarrierConfiguration.Empty(new BarrierSettings(BarrierMode.SingleSegment, BarrierGeneration.Legacy));
        var segments = Enumerable.Range(0, BarrierLimits.MaxSegmentsLegacy).Select(i => new SegmentDefinition($"S{i}", $"Department -eq 'D{i}'"));
        c = BarrierConfiguration.Create(c.Settings, segments, []).GetValueOrThrow();
        AssertRefused(c.AddSegment("OneTooMany", "Department -eq 'X'"), BarrierRule.SegmentLimitExceeded);
    }

    [Fact]
    public void A_policy_on_an_unknown_segment_is_refused()
    {
        AssertRefused(ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Nope", "Sales")), BarrierRule.PolicyUnknownSegment);
        AssertRefused(ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Nope")), BarrierRule.PolicyUnknownSegment);
    }

    [Fact]
    public void A_second_policy_for_the_same_segment_is_refused()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P1", "Sales", "Research")).GetValueOrThrow();
        AssertRefused(c.AddPolicy(PolicyDefinition.Block("P2", "Sales", "HR")), BarrierRule.PolicySegmentAlreadyAssigned);
    }

    [Fact]
    public void An_allow_list_without_its_own_segment_is_refused_as_microsoft_does()
    {
        var r = ThreeSegments().AddPolicy(PolicyDefinition.Allow("Sales-HR", "Sales", "HR"));
        AssertRefused(r, BarrierRule.PolicyAllowListMissingOwnSegment);
        Assert.Equal("POLICY_ALLOW_LIST_MISSING_OWN_SEGMENT", r.Errors.Single().Code);
        Assert.Contains("SegmentCannotCommunicateWithItselfException", r.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_policy_name_is_refused()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Research")).GetValueOrThrow();
        AssertRefused(c.AddPolicy(PolicyDefinition.Block("p", "Research", "Sales")), BarrierRule.PolicyNameDuplicate);
    }

    [Fact]
    public void An_invalid_policy_name_is_refused() =>
        AssertRefused(ThreeSegments().AddPolicy(PolicyDefinition.Block("P;rm", "Sales", "Research")), BarrierRule.PolicyNameInvalid);

    [Fact]
    public void A_policy_with_no_listed_segment_is_refused() =>
        AssertRefused(ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales")), BarrierRule.PolicySegmentListEmpty);

    [Fact]
    public void A_policy_listing_a_segment_twice_is_refused() =>
        AssertRefused(ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Research", "research")), BarrierRule.PolicySegmentListDuplicate);

    [Fact]
    public void A_policy_kind_cannot_change()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Research")).GetValueOrThrow();
        AssertRefused(c.UpdatePolicy("P", PolicyDefinition.Allow("P", "Sales", "Sales", "HR")), BarrierRule.PolicyKindImmutable);
    }

    [Fact]
    public void A_policy_assigned_segment_cannot_change()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Research")).GetValueOrThrow();
        AssertRefused(c.UpdatePolicy("P", PolicyDefinition.Block("P", "HR", "Research")), BarrierRule.PolicyAssignedSegmentImmutable);
    }

    [Fact]
    public void A_policy_segment_list_and_state_can_change()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Research")).GetValueOrThrow();
        c = c.UpdatePolicy("P", PolicyDefinition.Block("P", "Sales", "Research", "HR")).GetValueOrThrow();
        c = c.SetPolicyState("P", PolicyState.Active).GetValueOrThrow();
        Assert.Equal(new[] { "Research", "HR" }, c.FindPolicy("P")!.Segments.ToArray());
        Assert.Equal(PolicyState.Active, c.FindPolicy("P")!.State);
    }

    [Fact]
    public void Changing_or_removing_an_unknown_policy_is_refused()
    {
        AssertRefused(ThreeSegments().SetPolicyState("Nope", PolicyState.Active), BarrierRule.PolicyNotFound);
        AssertRefused(ThreeSegments().RemovePolicy("Nope"), BarrierRule.PolicyNotFound);
    }

    [Fact]
    public void A_block_without_the_reverse_block_is_accepted_with_a_warning()
    {
        var r = ThreeSegments().AddPolicy(PolicyDefinition.Block("Sales-Research", "Sales", "Research"));
        Assert.True(r.Succeeded);
        Assert.Equal(BarrierRule.PolicyBlockNotReciprocated, Assert.Single(r.Warnings).Rule);

        var both = r.Value!.AddPolicy(PolicyDefinition.Block("Research-Sales", "Research", "Sales"));
        Assert.Empty(both.Warnings);
    }

    [Fact]
    public void An_allow_the_other_side_does_not_return_is_accepted_with_a_warning()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Allow("Sales-A", "Sales", "Sales", "Research")).GetValueOrThrow();
        var r = c.AddPolicy(PolicyDefinition.Allow("Research-A", "Research", "Research"));
        Assert.Contains(r.Warnings, w => w.Rule == BarrierRule.PolicyAllowNotReciprocated);
    }

    [Fact]
    public void Block_policies_are_refused_in_multi_segment_mode()
    {
        var c = ThreeSegments(new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern));
        AssertRefused(c.AddPolicy(PolicyDefinition.Block("P", "Sales", "Research")), BarrierRule.PolicyBlockNotSupportedInMultiSegmentMode);
    }

    [Fact]
    public void Switching_to_multi_segment_mode_is_refused_while_block_policies_exist()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Research")).GetValueOrThrow();
        AssertRefused(c.ChangeSettings(new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern)), BarrierRule.PolicyBlockNotSupportedInMultiSegmentMode);
    }

    [Fact]
    public void Multi_segment_mode_cannot_be_reverted()
    {
        var c = ThreeSegments().ChangeSettings(new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern)).GetValueOrThrow();
        AssertRefused(c.ChangeSettings(BarrierSettings.Default), BarrierRule.ModeCannotRevertToSingleSegment);
    }

    [Fact]
    public void Multi_segment_mode_is_refused_on_the_legacy_version() =>
        AssertRefused(ThreeSegments().ChangeSettings(new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Legacy)), BarrierRule.ModeMultiSegmentRequiresModern);

    [Fact]
    public void Policy_segment_names_are_stored_with_the_segment_spelling()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Allow("P", "sales", "SALES", "hr")).GetValueOrThrow();
        var p = c.FindPolicy("P")!;
        Assert.Equal("Sales", p.AssignedSegment);
        Assert.Equal(new[] { "Sales", "HR" }, p.Segments.ToArray());
    }

    [Fact]
    public void The_segment_limit_of_the_current_version_is_5000_and_a_full_tenant_validates_quickly()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var segments = Enumerable.Range(0, BarrierLimits.MaxSegmentsModern).Select(i => new SegmentDefinition($"S{i}", $"Department -eq 'D{i}'")).ToList();
        var policies = Enumerable.Range(0, BarrierLimits.MaxSegmentsModern)
            .Select(i => PolicyDefinition.Allow($"P{i}", $"S{i}", [.. Enumerable.Range(0, 10).Select(k => $"S{(i + k) % BarrierLimits.MaxSegmentsModern}")]));
        var c = BarrierConfiguration.Create(BarrierSettings.Default, segments, policies).GetValueOrThrow();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), sw.Elapsed.ToString());
        AssertRefused(c.AddSegment("OneTooMany", "Department -eq 'X'"), BarrierRule.SegmentLimitExceeded);
    }

    [Fact]
    public void Compiling_a_configuration_that_bypassed_the_rules_is_refused()
    {
        var forged = new BarrierConfiguration(BarrierSettings.Default, [new SegmentDefinition("A", "Department -eq 'a'")],
            [new PolicyDefinition("P", "A", PolicyKind.Allow, ["Missing"], PolicyState.Active)]);
        Assert.Throws<ArgumentException>(() => BarrierCompiler.Compile(forged, []));
    }

    [Fact]
    public void A_block_of_the_policy_own_segment_is_accepted_with_a_warning()
    {
        var r = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Sales"));
        Assert.True(r.Succeeded);
        Assert.Equal(BarrierRule.PolicyBlocksOwnSegment, Assert.Single(r.Warnings).Rule);
    }

    [Fact]
    public void A_duplicate_user_id_is_reported_and_the_first_entry_wins()
    {
        var c = ThreeSegments().AddPolicy(PolicyDefinition.Block("P", "Sales", "Sales")).GetValueOrThrow();
        var compiled = BarrierCompiler.Compile(c,
        [
            BarrierUser.Create("u1", [new(BarrierAttribute.Department, "Sales")]),
            BarrierUser.Create("U1", [new(BarrierAttribute.Department, "HR")]),
        ]);
        Assert.Equal(1, compiled.UserCount);
        Assert.Equal(new[] { "Sales" }, compiled.SegmentsOf("u1").ToArray());
        Assert.Contains(compiled.Findings, f => f.Rule == BarrierRule.UserDuplicateId && f.Subject == "U1");
    }
}
