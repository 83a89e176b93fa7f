using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

/// <summary>Small helpers to build configurations and users in tests.</summary>
internal static class TestTenant
{
    public static BarrierConfiguration Config(BarrierSettings? settings, (string Name, string Filter)[] segments, params PolicyDefinition[] policies)
    {
        var r = BarrierConfiguration.Create(
            settings ?? BarrierSettings.Default,
            segments.Select(s => new SegmentDefinition(s.Name, s.Filter)),
            policies.Select(p => p.WithState(PolicyState.Active)));
        return r.GetValueOrThrow();
    }

    public static BarrierUser User(string id, string? department = null, string? company = null, bool enabled = true, params string[] groups)
    {
        var attributes = new List<KeyValuePair<BarrierAttribute, string>>();
        if (department is not null)
        {
            attributes.Add(new(BarrierAttribute.Department, department));
        }

        if (company is not null)
        {
            attributes.Add(new(BarrierAttribute.Company, company));
        }

        return BarrierUser.Create(id, attributes, groups, enabled);
    }
}
