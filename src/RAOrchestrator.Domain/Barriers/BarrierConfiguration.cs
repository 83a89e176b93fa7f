using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// A tenant's segments and policies. Immutable: every change returns a new configuration or the named rules it breaks.
/// Names (segments and policies) are matched case-insensitively, as PowerShell identities are.
/// </summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.BarrierConfiguration")]
public sealed record BarrierConfiguration(
    [property: Id(0)] BarrierSettings Settings,
    [property: Id(1)] ImmutableArray<SegmentDefinition> Segments,
    [property: Id(2)] ImmutableArray<PolicyDefinition> Policies)
{
    public static BarrierConfiguration Empty(BarrierSettings? settings = null) => new(settings ?? BarrierSettings.Default, [], []);

    /// <summary>
    /// Builds a configuration from scratch, applying every rule as if each item were added in order (in linear time,
    /// so a 5,000-segment tenant validates quickly).
    /// </summary>
    public static BarrierResult<BarrierConfiguration> Create(BarrierSettings settings, IEnumerable<SegmentDefinition> segments, IEnumerable<PolicyDefinition> policies)
    {
        if (SettingsError(settings) is { } settingsError)
        {
            return BarrierResult<BarrierConfiguration>.Failure([settingsError]);
        }

        var errors = new List<BarrierViolation>();
        var segmentList = ImmutableArray.CreateBuilder<SegmentDefinition>();
        var segmentByName = new Dictionary<string, SegmentDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in segments)
        {
            var filter = ValidateNewSegment(s.Name, s.UserGroupFilter, segmentByName.ContainsKey(s.Name ?? string.Empty), segmentByName.Count, settings, errors);
            if (filter is not null)
            {
                var segment = new SegmentDefinition(s.Name!, filter);
                segmentList.Add(segment);
                segmentByName[segment.Name] = segment;
            }
        }

        var policyList = ImmutableArray.CreateBuilder<PolicyDefinition>();
        var policyNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var policyBySegment = new Dictionary<string, PolicyDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in policies)
        {
            var normalized = ValidateNewPolicy(p, n => segmentByName.GetValueOrDefault(n), policyNames.Contains(p.Name ?? string.Empty), n => policyBySegment.GetValueOrDefault(n), settings, errors);
            if (normalized is not null)
            {
                policyList.Add(normalized);
                policyNames.Add(normalized.Name);
                policyBySegment[normalized.AssignedSegment] = normalized;
            }
        }

        if (errors.Count > 0)
        {
            return BarrierResult<BarrierConfiguration>.Failure(errors);
        }

        var config = new BarrierConfiguration(settings, segmentList.ToImmutable(), policyList.ToImmutable());
        return BarrierResult<BarrierConfiguration>.Success(config, config.Warnings());
    }

    public SegmentDefinition? FindSegment(string name) => Segments.FirstOrDefault(s => NameEquals(s.Name, name));

    public PolicyDefinition? FindPolicy(string name) => Policies.FirstOrDefault(p => NameEquals(p.Name, name));

    /// <summary>Adds a segment (<c>New-OrganizationSegment</c>). The filter is stored in canonical form.</summary>
    public BarrierResult<BarrierConfiguration> AddSegment(string name, string userGroupFilter)
    {
        var errors = new List<BarrierViolation>();
        var filter = ValidateNewSegment(name, userGroupFilter, FindSegment(name) is not null, Segments.Length, Settings, errors);
        return filter is null ? Fail(errors) : Ok(this with { Segments = Segments.Add(new SegmentDefinition(name, filter)) });
    }

    private static string? ValidateNewSegment(string? name, string? userGroupFilter, bool duplicate, int existingCount, BarrierSettings settings, List<BarrierViolation> errors)
    {
        var start = errors.Count;
        if (NameError(name, isSegment: true) is { } nameError)
        {
            errors.Add(nameError);
        }
        else if (duplicate)
        {
            errors.Add(BarrierRules.Error(BarrierRule.SegmentNameDuplicate, name!, $"A segment named '{name}' already exists."));
        }

        var filter = FilterError(name ?? string.Empty, userGroupFilter, errors);
        if (existingCount >= BarrierLimits.MaxSegments(settings))
        {
            errors.Add(BarrierRules.Error(BarrierRule.SegmentLimitExceeded, name ?? string.Empty, $"A tenant can have at most {BarrierLimits.MaxSegments(settings)} segments ({settings.Generation} information barriers)."));
        }

        return errors.Count > start ? null : filter;
    }

    /// <summary>Changes a segment's filter (<c>Set-OrganizationSegment</c>). Segments cannot be renamed.</summary>
    public BarrierResult<BarrierConfiguration> UpdateSegment(string name, SegmentDefinition updated)
    {
        var existing = FindSegment(name);
        if (existing is null)
        {
            return Fail([BarrierRules.Error(BarrierRule.SegmentNotFound, name, $"There is no segment named '{name}'.")]);
        }

        if (!NameEquals(existing.Name, updated.Name))
        {
            return Fail([BarrierRules.Error(BarrierRule.SegmentRenameNotSupported, name, $"Segment '{existing.Name}' cannot be renamed to '{updated.Name}': segments cannot be renamed; create a new segment instead.")]);
        }

        var errors = new List<BarrierViolation>();
        var filter = FilterError(name, updated.UserGroupFilter, errors);
        return errors.Count > 0 ? Fail(errors) : Ok(this with { Segments = Segments.Replace(existing, existing with { UserGroupFilter = filter! }) });
    }

    /// <summary>Removes a segment (<c>Remove-OrganizationSegment</c>); refused while any policy names it.</summary>
    public BarrierResult<BarrierConfiguration> RemoveSegment(string name)
    {
        var existing = FindSegment(name);
        if (existing is null)
        {
            return Fail([BarrierRules.Error(BarrierRule.SegmentNotFound, name, $"There is no segment named '{name}'.")]);
        }

        var users = Policies.Where(p => NameEquals(p.AssignedSegment, name) || p.Segments.Any(s => NameEquals(s, name))).Select(p => p.Name).ToList();
        if (users.Count > 0)
        {
            return Fail([BarrierRules.Error(BarrierRule.SegmentInUseByPolicy, name, $"Segment '{existing.Name}' is used by polic{(users.Count == 1 ? "y" : "ies")} {string.Join(", ", users.Select(u => $"'{u}'"))}; remove those first.")]);
        }

        return Ok(this with { Segments = Segments.Remove(existing) });
    }

    /// <summary>Adds a policy (<c>New-InformationBarrierPolicy</c>).</summary>
    public BarrierResult<BarrierConfiguration> AddPolicy(PolicyDefinition policy)
    {
        var errors = new List<BarrierViolation>();
        var normalized = ValidateNewPolicy(policy, FindSegment, FindPolicy(policy.Name ?? string.Empty) is not null,
            n => Policies.FirstOrDefault(p => NameEquals(p.AssignedSegment, n)), Settings, errors);
        return normalized is null ? Fail(errors) : Ok(this with { Policies = Policies.Add(normalized) });
    }

    private static PolicyDefinition? ValidateNewPolicy(
        PolicyDefinition policy, Func<string, SegmentDefinition?> findSegment, bool nameTaken,
        Func<string, PolicyDefinition?> policyOfSegment, BarrierSettings settings, List<BarrierViolation> errors)
    {
        var start = errors.Count;
        if (NameError(policy.Name, isSegment: false) is { } nameError)
        {
            errors.Add(nameError);
        }
        else if (nameTaken)
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyNameDuplicate, policy.Name, $"A policy named '{policy.Name}' already exists."));
        }

        var normalized = ValidatePolicyBody(policy, findSegment, settings, errors);
        if (normalized is not null && policyOfSegment(normalized.AssignedSegment) is { } other)
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicySegmentAlreadyAssigned, policy.Name, $"Segment '{normalized.AssignedSegment}' already has policy '{other.Name}'; a segment can have only one policy."));
        }

        return errors.Count > start ? null : normalized;
    }

    /// <summary>Changes a policy's segment list or state (<c>Set-InformationBarrierPolicy</c>). Kind and assigned segment cannot change.</summary>
    public BarrierResult<BarrierConfiguration> UpdatePolicy(string name, PolicyDefinition updated)
    {
        var existing = FindPolicy(name);
        if (existing is null)
        {
            return Fail([BarrierRules.Error(BarrierRule.PolicyNotFound, name, $"There is no policy named '{name}'.")]);
        }

        var errors = new List<BarrierViolation>();
        if (!NameEquals(existing.Name, updated.Name))
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyNameInvalid, name, $"Policy '{existing.Name}' cannot be renamed to '{updated.Name}'."));
        }

        if (existing.Kind != updated.Kind)
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyKindImmutable, name, $"Policy '{existing.Name}' is a {existing.Kind} policy; the kind of a policy cannot be changed. Delete it and create a new one."));
        }

        if (!NameEquals(existing.AssignedSegment, updated.AssignedSegment))
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyAssignedSegmentImmutable, name, $"Policy '{existing.Name}' is assigned to '{existing.AssignedSegment}'; the assigned segment cannot be changed. Delete it and create a new one."));
        }

        var normalized = ValidatePolicyBody(updated with { Name = existing.Name }, FindSegment, Settings, errors);
        return errors.Count > 0 ? Fail(errors) : Ok(this with { Policies = Policies.Replace(existing, normalized!) });
    }

    /// <summary>Activates or deactivates a policy (<c>Set-InformationBarrierPolicy -State</c>).</summary>
    public BarrierResult<BarrierConfiguration> SetPolicyState(string name, PolicyState state)
    {
        var existing = FindPolicy(name);
        return existing is null
            ? Fail([BarrierRules.Error(BarrierRule.PolicyNotFound, name, $"There is no policy named '{name}'.")])
            : UpdatePolicy(name, existing with { State = state });
    }

    /// <summary>Removes a policy (<c>Remove-InformationBarrierPolicy</c>).</summary>
    public BarrierResult<BarrierConfiguration> RemovePolicy(string name)
    {
        var existing = FindPolicy(name);
        return existing is null
            ? Fail([BarrierRules.Error(BarrierRule.PolicyNotFound, name, $"There is no policy named '{name}'.")])
            : Ok(this with { Policies = Policies.Remove(existing) });
    }

    /// <summary>Changes the mode. Multi-segment needs the modern version, allows only allow policies, and cannot be reverted.</summary>
    public BarrierResult<BarrierConfiguration> ChangeSettings(BarrierSettings settings)
    {
        if (SettingsError(settings) is { } e)
        {
            return Fail([e]);
        }

        if (Settings.Mode == BarrierMode.MultiSegment && settings.Mode == BarrierMode.SingleSegment)
        {
            return Fail([BarrierRules.Error(BarrierRule.ModeCannotRevertToSingleSegment, "settings", "Once multi-segment support is enabled, the organisation cannot revert to single-segment support.")]);
        }

        var errors = new List<BarrierViolation>();
        if (settings.Mode == BarrierMode.MultiSegment)
        {
            errors.AddRange(Policies.Where(p => p.Kind == PolicyKind.Block).Select(p =>
                BarrierRules.Error(BarrierRule.PolicyBlockNotSupportedInMultiSegmentMode, p.Name, $"Policy '{p.Name}' is a block policy; multi-segment mode requires every policy to be an allow policy.")));
        }

        if (Segments.Length > BarrierLimits.MaxSegments(settings))
        {
            errors.Add(BarrierRules.Error(BarrierRule.SegmentLimitExceeded, "settings", $"{Segments.Length} segments exceed the limit of {BarrierLimits.MaxSegments(settings)}."));
        }

        return errors.Count > 0 ? Fail(errors) : Ok(this with { Settings = settings });
    }

    /// <summary>Findings that do not refuse the configuration: one-way blocks and allows, blocks of a policy's own segment.</summary>
    public IReadOnlyList<BarrierViolation> Warnings()
    {
        var warnings = new List<BarrierViolation>();
        var bySegment = Policies.ToDictionary(p => p.AssignedSegment, StringComparer.OrdinalIgnoreCase);
        foreach (var p in Policies)
        {
            foreach (var target in p.Segments)
            {
                if (NameEquals(target, p.AssignedSegment))
                {
                    if (p.Kind == PolicyKind.Block)
                    {
                        warnings.Add(BarrierRules.Warning(BarrierRule.PolicyBlocksOwnSegment, p.Name, $"Policy '{p.Name}' blocks its own segment '{target}': its members cannot communicate with each other."));
                    }

                    continue;
                }

                bySegment.TryGetValue(target, out var reverse);
                if (p.Kind == PolicyKind.Block && (reverse is null || reverse.Kind != PolicyKind.Block || !reverse.Segments.Any(s => NameEquals(s, p.AssignedSegment))))
                {
                    warnings.Add(BarrierRules.Warning(BarrierRule.PolicyBlockNotReciprocated, p.Name,
                        $"Policy '{p.Name}' blocks '{target}' from '{p.AssignedSegment}' but no policy of '{target}' blocks '{p.AssignedSegment}'. Information barriers support only two-way restrictions: add the reverse block."));
                }
                else if (p.Kind == PolicyKind.Allow && reverse is not null && !Permits(reverse, p.AssignedSegment))
                {
                    warnings.Add(BarrierRules.Warning(BarrierRule.PolicyAllowNotReciprocated, p.Name,
                        $"Policy '{p.Name}' allows '{target}' but policy '{reverse.Name}' of '{target}' does not allow '{p.AssignedSegment}', so the two segments cannot communicate."));
                }
            }
        }

        return warnings;
    }

    private static bool Permits(PolicyDefinition policy, string segment) =>
        policy.Kind == PolicyKind.Block
            ? !policy.Segments.Any(s => NameEquals(s, segment))
            : policy.Segments.Any(s => NameEquals(s, segment));

    private static PolicyDefinition? ValidatePolicyBody(PolicyDefinition policy, Func<string, SegmentDefinition?> findSegment, BarrierSettings settings, List<BarrierViolation> errors)
    {
        var start = errors.Count;
        var assigned = policy.AssignedSegment is null ? null : findSegment(policy.AssignedSegment);
        if (assigned is null)
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyUnknownSegment, policy.Name, $"Policy '{policy.Name}' is assigned to segment '{policy.AssignedSegment}', which does not exist."));
        }

        if (settings.Mode == BarrierMode.MultiSegment && policy.Kind == PolicyKind.Block)
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyBlockNotSupportedInMultiSegmentMode, policy.Name, $"Policy '{policy.Name}' is a block policy; in multi-segment mode every policy must be an allow policy."));
        }

        if (policy.Segments.IsDefaultOrEmpty)
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicySegmentListEmpty, policy.Name, $"Policy '{policy.Name}' must list at least one segment to {(policy.Kind == PolicyKind.Block ? "block" : "allow")}."));
        }

        var listed = ImmutableArray.CreateBuilder<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in policy.Segments.IsDefault ? [] : policy.Segments)
        {
            var segment = findSegment(name);
            if (segment is null)
            {
                errors.Add(BarrierRules.Error(BarrierRule.PolicyUnknownSegment, policy.Name, $"Policy '{policy.Name}' lists segment '{name}', which does not exist."));
            }
            else if (!seen.Add(segment.Name))
            {
                errors.Add(BarrierRules.Error(BarrierRule.PolicySegmentListDuplicate, policy.Name, $"Policy '{policy.Name}' lists segment '{segment.Name}' more than once."));
            }
            else
            {
                listed.Add(segment.Name);
            }
        }

        if (policy.Kind == PolicyKind.Allow && assigned is not null && !seen.Contains(assigned.Name))
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyAllowListMissingOwnSegment, policy.Name,
                $"Allow policy '{policy.Name}' must include its own segment '{assigned.Name}' in SegmentsAllowed (Microsoft refuses it with SegmentCannotCommunicateWithItselfException)."));
        }

        if (!Enum.IsDefined(policy.State) || !Enum.IsDefined(policy.Kind))
        {
            errors.Add(BarrierRules.Error(BarrierRule.PolicyNameInvalid, policy.Name, "Unknown policy kind or state."));
        }

        return errors.Count > start ? null : policy with { AssignedSegment = assigned!.Name, Segments = listed.ToImmutable() };
    }

    private static string? FilterError(string segmentName, string? filterText, List<BarrierViolation> errors)
    {
        if (filterText is null)
        {
            errors.Add(BarrierRules.Error(BarrierRule.SegmentFilterInvalid, segmentName, "A segment needs a UserGroupFilter."));
            return null;
        }

        if (UserGroupFilter.TryParse(filterText, out var filter, out var error))
        {
            return filter!.ToCanonicalString();
        }

        errors.Add(BarrierRules.Error(BarrierRule.SegmentFilterInvalid, segmentName, error!.Message));
        return null;
    }

    private static BarrierViolation? SettingsError(BarrierSettings settings) =>
        settings.Mode == BarrierMode.MultiSegment && settings.Generation == BarrierGeneration.Legacy
            ? BarrierRules.Error(BarrierRule.ModeMultiSegmentRequiresModern, "settings", "Multi-segment support is only available to organisations on the current version of information barriers (enabled after 15 February 2023).")
            : null;

    /// <summary>
    /// Our naming rule (Microsoft publishes no character set): 1-64 characters of letters, digits, space, '-', '_' or '.',
    /// not starting or ending with a space. Keeps names safe in PowerShell lists, URLs and logs.
    /// </summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > BarrierLimits.MaxNameLength || name[0] == ' ' || name[^1] == ' ')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static BarrierViolation? NameError(string? name, bool isSegment) =>
        IsValidName(name)
            ? null
            : BarrierRules.Error(isSegment ? BarrierRule.SegmentNameInvalid : BarrierRule.PolicyNameInvalid, name ?? string.Empty,
                $"'{name}' is not a valid {(isSegment ? "segment" : "policy")} name: use 1-{BarrierLimits.MaxNameLength} letters, digits, spaces, '-', '_' or '.', without leading or trailing spaces.");

    internal static bool NameEquals(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static BarrierResult<BarrierConfiguration> Fail(IEnumerable<BarrierViolation> errors) => BarrierResult<BarrierConfiguration>.Failure(errors);

    private static BarrierResult<BarrierConfiguration> Ok(BarrierConfiguration config) => BarrierResult<BarrierConfiguration>.Success(config, config.Warnings());

    /// <summary>Structural equality: same settings, and the same segments and policies in the same order.</summary>
    public bool Equals(BarrierConfiguration? other) =>
        other is not null && Settings == other.Settings
        && Segments.AsSpan().SequenceEqual(other.Segments.AsSpan())
        && Policies.AsSpan().SequenceEqual(other.Policies.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Settings, Segments.Length, Policies.Length);
}
