using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// Every rule the engine enforces or reports, so the API can name the one that was broken.
/// <see cref="BarrierRules.Code"/> gives the UPPER_SNAKE reason code. Never renumber.
/// </summary>
public enum BarrierRule
{
    SegmentNameInvalid = 1,
    SegmentNameDuplicate = 2,
    SegmentNotFound = 3,
    SegmentRenameNotSupported = 4,
    SegmentFilterInvalid = 5,
    SegmentInUseByPolicy = 6,
    SegmentLimitExceeded = 7,

    PolicyNameInvalid = 20,
    PolicyNameDuplicate = 21,
    PolicyNotFound = 22,
    PolicyUnknownSegment = 23,
    PolicySegmentAlreadyAssigned = 24,
    PolicyAllowListMissingOwnSegment = 25,
    PolicyKindImmutable = 26,
    PolicyAssignedSegmentImmutable = 27,
    PolicySegmentListEmpty = 28,
    PolicySegmentListDuplicate = 29,
    PolicyBlockNotSupportedInMultiSegmentMode = 30,

    ModeMultiSegmentRequiresModern = 40,
    ModeCannotRevertToSingleSegment = 41,

    /// <summary>Warning: a block without the reverse block (Microsoft supports only two-way restrictions).</summary>
    PolicyBlockNotReciprocated = 60,

    /// <summary>Warning: A allows B but B's allow policy does not allow A, so the two cannot communicate.</summary>
    PolicyAllowNotReciprocated = 61,

    /// <summary>Warning: a block list names the policy's own segment, which isolates the segment's members from each other.</summary>
    PolicyBlocksOwnSegment = 62,

    /// <summary>Compile finding: a user matches more segments than the mode permits (2+ in single-segment mode, 11+ in multi-segment).</summary>
    UserSegmentConflict = 80,

    /// <summary>Compile finding: two users with the same id; the first one wins.</summary>
    UserDuplicateId = 81,

    /// <summary>Snapshot decoding failed (corrupt, truncated, mismatched shard).</summary>
    SnapshotInvalid = 90,

    /// <summary>An exported PowerShell script could not be read back.</summary>
    ScriptInvalid = 91,
}

public enum BarrierSeverity : byte
{
    Error = 1,
    Warning = 2,
}

/// <summary>A broken rule (error) or a finding (warning), with the subject it is about.</summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.BarrierViolation")]
public sealed record BarrierViolation(
    [property: Id(0)] BarrierRule Rule,
    [property: Id(1)] BarrierSeverity Severity,
    [property: Id(2)] string Subject,
    [property: Id(3)] string Message)
{
    /// <summary>UPPER_SNAKE reason code, e.g. <c>POLICY_ALLOW_LIST_MISSING_OWN_SEGMENT</c>.</summary>
    public string Code => BarrierRules.Code(Rule);

    public override string ToString() => $"{Code} ({Severity}) {Subject}: {Message}";
}

public static class BarrierRules
{
    private static readonly Dictionary<BarrierRule, string> Codes = Enum.GetValues<BarrierRule>()
        .ToDictionary(r => r, r => ToUpperSnake(r.ToString()));

    /// <summary>The reason code of a rule: its name in UPPER_SNAKE case.</summary>
    public static string Code(BarrierRule rule) => Codes.TryGetValue(rule, out var c) ? c : rule.ToString();

    internal static BarrierViolation Error(BarrierRule rule, string subject, string message) => new(rule, BarrierSeverity.Error, subject, message);

    internal static BarrierViolation Warning(BarrierRule rule, string subject, string message) => new(rule, BarrierSeverity.Warning, subject, message);

    private static string ToUpperSnake(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(name[i]));
        }

        return sb.ToString();
    }
}

/// <summary>The outcome of a change: the new value, or the errors that refused it. Warnings travel with both.</summary>
public sealed class BarrierResult<T>
    where T : class
{
    private BarrierResult(T? value, ImmutableArray<BarrierViolation> violations)
    {
        Value = value;
        Violations = violations;
    }

    public T? Value { get; }

    public ImmutableArray<BarrierViolation> Violations { get; }

    public bool Succeeded => Value is not null;

    public IEnumerable<BarrierViolation> Errors => Violations.Where(v => v.Severity == BarrierSeverity.Error);

    public IEnumerable<BarrierViolation> Warnings => Violations.Where(v => v.Severity == BarrierSeverity.Warning);

    /// <summary>The value, or an <see cref="InvalidOperationException"/> listing the errors.</summary>
    public T GetValueOrThrow() =>
        Value ?? throw new InvalidOperationException(string.Join(Environment.NewLine, Errors));

    internal static BarrierResult<T> Success(T value, IEnumerable<BarrierViolation> warnings) => new(value, [.. warnings]);

    internal static BarrierResult<T> Failure(IEnumerable<BarrierViolation> violations) => new(null, [.. violations]);
}
