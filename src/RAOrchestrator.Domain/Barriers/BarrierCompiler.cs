using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>Compiles segments, active policies and the tenant's users into an immutable <see cref="CompiledBarriers"/>.</summary>
public static class BarrierCompiler
{
    /// <summary>At most this many per-user findings (conflicts, duplicates) are listed; a summary line reports the rest.</summary>
    public const int MaxListedUserFindings = 1000;

    public static CompiledBarriers Compile(BarrierConfiguration configuration, IEnumerable<BarrierUser> users, BarrierCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(users);

        // A configuration that bypassed the rules (e.g. built by hand or read from old state) is refused, not half-compiled.
        var validated = BarrierConfiguration.Create(configuration.Settings, configuration.Segments, configuration.Policies);
        if (!validated.Succeeded)
        {
            throw new ArgumentException("The configuration breaks barrier rules: " + string.Join("; ", validated.Errors), nameof(configuration));
        }

        configuration = validated.Value!;

        var segmentCount = configuration.Segments.Length;
        var segmentNames = new string[segmentCount];
        var segmentFilters = new string[segmentCount];
        var predicates = new Predicate[segmentCount];
        var segmentIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < segmentCount; i++)
        {
            var s = configuration.Segments[i];
            segmentNames[i] = s.Name;
            segmentFilters[i] = s.UserGroupFilter;
            predicates[i] = Predicate.From(UserGroupFilter.Parse(s.UserGroupFilter));
            segmentIndex[s.Name] = i;
        }

        var policies = configuration.Policies
            .Where(p => p.State == PolicyState.Active)
            .Select(p =>
            {
                var targets = p.Segments.Select(t => segmentIndex[t]).ToArray();
                return new CompiledPolicy(p.Name, segmentIndex[p.AssignedSegment], p.Kind, targets, CompiledBarriers.ToBits(targets, segmentCount));
            })
            .ToArray();

        var findings = ImmutableArray.CreateBuilder<BarrierViolation>();
        findings.AddRange(configuration.Warnings());

        var sets = new List<int[]> { Array.Empty<int>() };
        var setIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var singleSet = new int[segmentCount];
        var ids = new List<string>();
        var userSets = new List<int>();
        var barred = new List<bool>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var view = new UserView();
        var matched = new List<int>(16);
        var maxPerUser = BarrierLimits.MaxSegmentsPerUser(configuration.Settings);
        int conflicts = 0, duplicates = 0;

        foreach (var user in users)
        {
            if (!seen.Add(user.Id))
            {
                if (++duplicates <= MaxListedUserFindings)
                {
                    findings.Add(BarrierRules.Warning(BarrierRule.UserDuplicateId, user.Id, $"User id '{user.Id}' appears more than once; the first entry is used."));
                }

                continue;
            }

            view.Load(user);
            matched.Clear();
            for (var s = 0; s < segmentCount; s++)
            {
                if (predicates[s].Matches(view))
                {
                    matched.Add(s);
                }
            }

            int set;
            if (matched.Count == 0)
            {
                set = 0;
            }
            else if (matched.Count == 1)
            {
                set = singleSet[matched[0]];
                if (set == 0)
                {
                    set = singleSet[matched[0]] = sets.Count;
                    sets.Add([matched[0]]);
                }
            }
            else
            {
                var key = string.Join(',', matched);
                if (!setIndex.TryGetValue(key, out set))
                {
                    set = sets.Count;
                    setIndex[key] = set;
                    sets.Add([.. matched]);
                }

                if (matched.Count > maxPerUser && ++conflicts <= MaxListedUserFindings)
                {
                    findings.Add(BarrierRules.Warning(BarrierRule.UserSegmentConflict, user.Id,
                        $"User '{user.Id}' matches {matched.Count} segments ({string.Join(", ", matched.Select(m => segmentNames[m]))}); {configuration.Settings.Mode} mode allows {maxPerUser}. The user is denied all communication until the segments stop overlapping."));
                }
            }

            ids.Add(user.Id);
            userSets.Add(set);
            barred.Add(user.IsBarred);
        }

        if (conflicts > MaxListedUserFindings)
        {
            findings.Add(BarrierRules.Warning(BarrierRule.UserSegmentConflict, "*", $"{conflicts - MaxListedUserFindings} more users with segment conflicts are not listed."));
        }

        if (duplicates > MaxListedUserFindings)
        {
            findings.Add(BarrierRules.Warning(BarrierRule.UserDuplicateId, "*", $"{duplicates - MaxListedUserFindings} more duplicate user ids are not listed."));
        }

        var setArray = sets.ToArray();
        var idArray = ids.ToArray();
        var userSetArray = userSets.ToArray();
        var barredArray = barred.ToArray();
        var fingerprint = Fingerprint(configuration.Settings, segmentNames, segmentFilters, policies, setArray, idArray, userSetArray, barredArray);
        return new CompiledBarriers(configuration.Settings, segmentNames, segmentFilters, policies, setArray, idArray, userSetArray, barredArray, fingerprint, findings.ToImmutable(), options: options);
    }

    internal static ulong Fingerprint(BarrierSettings settings, string[] segmentNames, string[] segmentFilters, CompiledPolicy[] policies, int[][] sets, string[] userIds, int[] userSets, bool[] barred)
    {
        var h = new Fnv64();
        h.Add((int)settings.Mode);
        h.Add((int)settings.Generation);
        h.Add(segmentNames.Length);
        for (var i = 0; i < segmentNames.Length; i++)
        {
            h.Add(segmentNames[i]);
            h.Add(segmentFilters[i]);
        }

        h.Add(policies.Length);
        foreach (var p in policies)
        {
            h.Add(p.Name);
            h.Add(p.AssignedSegment);
            h.Add((int)p.Kind);
            h.Add(p.Segments.Length);
            foreach (var t in p.Segments)
            {
                h.Add(t);
            }
        }

        h.Add(sets.Length);
        foreach (var s in sets)
        {
            h.Add(s.Length);
            foreach (var x in s)
            {
                h.Add(x);
            }
        }

        h.Add(userIds.Length);
        for (var u = 0; u < userIds.Length; u++)
        {
            h.Add(userIds[u]);
            h.Add(userSets[u]);
            h.Add(barred[u] ? 1 : 0);
        }

        return h.Value;
    }

    /// <summary>A user's attribute values laid out by attribute slot, reused across users while compiling.</summary>
    internal sealed class UserView
    {
        public readonly string?[] Values = new string?[BarrierAttributes.SlotCount];
        public ImmutableArray<string> MemberOf;
        public ImmutableArray<string> ProxyAddresses;

        public void Load(BarrierUser user)
        {
            Array.Clear(Values);
            foreach (var (attribute, value) in user.Attributes)
            {
                Values[(int)attribute] = value;
            }

            MemberOf = user.MemberOf.IsDefault ? [] : user.MemberOf;
            ProxyAddresses = user.ProxyAddresses.IsDefault ? [] : user.ProxyAddresses;
        }
    }

    /// <summary>
    /// A filter ready to evaluate. Values compare with ordinal ignore-case, as Exchange filters are case-insensitive.
    /// <c>-ne</c> is the negation of <c>-eq</c> (LDAP <c>(!(attr=value))</c>): a user without the attribute matches
    /// <c>-ne</c>, and for multi-valued attributes <c>-eq</c> means "any value equals", <c>-ne</c> "no value equals".
    /// Recursion depth is bounded by <see cref="UserGroupFilter.MaxDepth"/>.
    /// </summary>
    internal abstract class Predicate
    {
        public abstract bool Matches(UserView user);

        public static Predicate From(FilterNode node) => node switch
        {
            FilterComparison c => new Comparison(c.Attribute, c.Operator == FilterOperator.Ne, c.Value),
            FilterGroup g => new Group(g.IsAnd, [.. g.Operands.Select(From)]),
            _ => throw new ArgumentOutOfRangeException(nameof(node)),
        };

        internal static bool Equal(string? a, string b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private sealed class Comparison(BarrierAttribute attribute, bool negate, string value) : Predicate
        {
            public override bool Matches(UserView user)
            {
                bool eq;
                if (attribute == BarrierAttribute.MemberOf)
                {
                    eq = Any(user.MemberOf, value);
                }
                else if (attribute == BarrierAttribute.ProxyAddresses)
                {
                    eq = Any(user.ProxyAddresses, value);
                }
                else
                {
                    eq = Equal(user.Values[(int)attribute], value);
                }

                return eq != negate;
            }

            private static bool Any(ImmutableArray<string> values, string value)
            {
                foreach (var v in values)
                {
                    if (Equal(v, value))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        private sealed class Group(bool isAnd, Predicate[] operands) : Predicate
        {
            public override bool Matches(UserView user)
            {
                foreach (var o in operands)
                {
                    if (o.Matches(user) != isAnd)
                    {
                        return !isAnd;
                    }
                }

                return isAnd;
            }
        }
    }
}

/// <summary>FNV-1a 64-bit: a stable, dependency-free hash for fingerprints and snapshot checksums (not for security).</summary>
internal struct Fnv64
{
    private const ulong Prime = 1099511628211UL;
    private ulong _h;

    public Fnv64() => _h = 14695981039346656037UL;

    public readonly ulong Value => _h;

    public void Add(ReadOnlySpan<byte> data)
    {
        var h = _h;
        foreach (var b in data)
        {
            h = (h ^ b) * Prime;
        }

        _h = h;
    }

    public void Add(int value)
    {
        Span<byte> b = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b, value);
        Add(b);
    }

    public void Add(string value)
    {
        Add(value.Length);
        Add(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
