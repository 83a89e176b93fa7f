using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// The groups a barrier configuration's segment filters compare <c>MemberOf</c> with, exactly as written (a group's
/// object id, display name, mail nickname or mail). Apply reads only these groups' members, and gives each member the
/// written names of the groups it belongs to, so the filter's comparison matches whichever way the group was named.
/// </summary>
public static class MemberOfGroups
{
    public static ImmutableSortedSet<string> Referenced(BarrierConfiguration configuration)
    {
        var names = ImmutableSortedSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in configuration.Segments)
        {
            Collect(UserGroupFilter.Parse(segment.UserGroupFilter), names);
        }

        return names.ToImmutable();
    }

    private static void Collect(FilterNode node, ImmutableSortedSet<string>.Builder names)
    {
        switch (node)
        {
            case FilterComparison { Attribute: BarrierAttribute.MemberOf } c:
                names.Add(c.Value);
                break;
            case FilterGroup g:
                foreach (var operand in g.Operands)
                {
                    Collect(operand, names);
                }

                break;
        }
    }
}
