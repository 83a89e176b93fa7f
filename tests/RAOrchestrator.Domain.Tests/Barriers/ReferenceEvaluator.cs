using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

/// <summary>
/// A deliberately naive evaluator written straight from the rules, scanning segments and policies on every check.
/// The compiled engine must agree with it on every pair.
/// </summary>
internal sealed class ReferenceEvaluator(BarrierConfiguration config, IReadOnlyList<BarrierUser> users)
{
    private readonly List<(SegmentDefinition Segment, FilterNode Filter)> _segments =
        [.. config.Segments.Select(s => (s, UserGroupFilter.Parse(s.UserGroupFilter)))];

    public (bool Allowed, BarrierDecisionReason Reason, string? Policy) Check(BarrierUser a, BarrierUser b)
    {
        var active = config.Policies.Where(p => p.State == PolicyState.Active).ToList();
        if (active.Count == 0)
        {
            return (true, BarrierDecisionReason.NoActivePolicies, null);
        }

        if (a.IsBarred)
        {
            return (false, BarrierDecisionReason.AccountDisabled, null);
        }

        if (b.IsBarred)
        {
            return (false, BarrierDecisionReason.AccountDisabled, null);
        }

        var sa = SegmentsOf(a);
        var sb = SegmentsOf(b);
        var max = config.Settings.Mode == BarrierMode.MultiSegment ? 10 : 1;
        if (sa.Count > max || sb.Count > max)
        {
            return (false, BarrierDecisionReason.SegmentConflict, null);
        }

        if (config.Settings.Mode == BarrierMode.MultiSegment && sa.Intersect(sb).Any())
        {
            return (true, BarrierDecisionReason.SharedSegment, null);
        }

        var ab = Permits(sa, sb, active);
        if (!ab.Ok)
        {
            return (false, ab.Reason, ab.Policy);
        }

        var ba = Permits(sb, sa, active);
        if (!ba.Ok)
        {
            return (false, ba.Reason, ba.Policy);
        }

        if (ab.Policy is null && ba.Policy is null)
        {
            return (true, BarrierDecisionReason.NotRestricted, null);
        }

        return (true, BarrierDecisionReason.PermittedByPolicies, ab.Policy ?? ba.Policy);
    }

    private (bool Ok, BarrierDecisionReason Reason, string? Policy) Permits(List<string> own, List<string> other, List<PolicyDefinition> active)
    {
        var mine = own.Select(s => active.FirstOrDefault(p => p.AssignedSegment == s)).Where(p => p is not null).Select(p => p!).ToList();
        if (mine.Count == 0)
        {
            return (true, BarrierDecisionReason.NotRestricted, null);
        }

        var first = mine[0];
        if (other.Count == 0)
        {
            return first.Kind == PolicyKind.Allow && config.Settings.Generation == BarrierGeneration.Legacy
                ? (false, BarrierDecisionReason.UnsegmentedUserHiddenByAllowPolicy, first.Name)
                : (true, BarrierDecisionReason.PermittedByPolicies, first.Name);
        }

        if (first.Kind == PolicyKind.Block)
        {
            return other.Any(first.Segments.Contains)
                ? (false, BarrierDecisionReason.BlockedByPolicy, first.Name)
                : (true, BarrierDecisionReason.PermittedByPolicies, first.Name);
        }

        var permitting = mine.FirstOrDefault(p => other.Any(p.Segments.Contains));
        return permitting is not null
            ? (true, BarrierDecisionReason.PermittedByPolicies, permitting.Name)
            : (false, BarrierDecisionReason.NotInAllowList, first.Name);
    }

    public List<string> SegmentsOf(BarrierUser user) => [.. _segments.Where(s => Matches(s.Filter, user)).Select(s => s.Segment.Name)];

    private static bool Matches(FilterNode node, BarrierUser user) => node switch
    {
        FilterComparison c => (c.Attribute switch
        {
            BarrierAttribute.MemberOf => user.MemberOf.Any(g => g.Equals(c.Value, StringComparison.OrdinalIgnoreCase)),
            BarrierAttribute.ProxyAddresses => user.ProxyAddresses.Any(g => g.Equals(c.Value, StringComparison.OrdinalIgnoreCase)),
            _ => string.Equals(user.Get(c.Attribute), c.Value, StringComparison.OrdinalIgnoreCase),
        }) == (c.Operator == FilterOperator.Eq),
        FilterGroup { IsAnd: true } g => g.Operands.All(o => Matches(o, user)),
        FilterGroup g => g.Operands.Any(o => Matches(o, user)),
        _ => throw new InvalidOperationException(),
    };

    public IReadOnlyList<BarrierUser> Users => users;
}
