namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// What one user tries to do with another. Source: Microsoft Learn, "Learn about information barriers"
/// (information-barriers.md): in Teams, IB policies determine and prevent searching for a user, adding a member to a team,
/// starting a chat, starting a group chat, inviting to a meeting, sharing a screen, placing a call and sharing files.
/// Every activity is governed by the same compatibility check between the two users; the activity is carried into the
/// result for auditing.
/// </summary>
public enum BarrierActivity : byte
{
    Search = 1,
    InviteToMeeting = 2,
    AddToTeam = 3,
    Chat = 4,
    GroupChat = 5,
    Call = 6,
    ShareScreen = 7,
    ShareFiles = 8,
}

/// <summary>Why a check was allowed or denied. Never renumber.</summary>
public enum BarrierDecisionReason : byte
{
    /// <summary>No active policy: information barriers are not in effect.</summary>
    NoActivePolicies = 1,

    /// <summary>Neither user's segments carry an active policy (includes users in no segment).</summary>
    NotRestricted = 2,

    /// <summary>Multi-segment mode: the users share a segment.</summary>
    SharedSegment = 3,

    /// <summary>Each restricted side's policy permits the other side.</summary>
    PermittedByPolicies = 4,

    /// <summary>A disabled or hidden account: prevented from communicating with everyone.</summary>
    AccountDisabled = 10,

    /// <summary>The user matches more segments than the mode allows; fail closed until the overlap is fixed.</summary>
    SegmentConflict = 11,

    /// <summary>A block policy of one side lists the other side's segment.</summary>
    BlockedByPolicy = 12,

    /// <summary>An allow policy of one side does not list any of the other side's segments.</summary>
    NotInAllowList = 13,

    /// <summary>Legacy information barriers: users under an allow policy cannot see users in no segment.</summary>
    UnsegmentedUserHiddenByAllowPolicy = 14,

    /// <summary>The user id is not in the compiled version (created after it was compiled?): fail closed.</summary>
    UserNotFound = 15,
}

/// <summary>Whose account or policy decided a check.</summary>
public enum DecisionSubject : byte
{
    None = 0,
    UserA = 1,
    UserB = 2,
}

/// <summary>
/// A decision in index form, as the compiled engine produces it without allocating. Segment and policy fields are
/// indexes into <see cref="CompiledBarriers.SegmentNames"/> and <see cref="CompiledBarriers.PolicyNames"/>, or -1.
/// </summary>
public readonly record struct BarrierDecision(
    bool Allowed,
    BarrierDecisionReason Reason,
    DecisionSubject Subject,
    int PolicyIndex,
    int SubjectSegment,
    int OtherSegment);

/// <summary>
/// The answer to "may user A do activity X with user B", with the policy and segments that decided it.
/// <see cref="Message"/> is derived from the fields, so a check allocates only this record.
/// </summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.BarrierCheckResult")]
public sealed record BarrierCheckResult(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] BarrierActivity Activity,
    [property: Id(2)] string UserA,
    [property: Id(3)] string UserB,
    [property: Id(4)] BarrierDecisionReason Reason,
    [property: Id(5)] string? DecidingPolicy,
    [property: Id(6)] string? DecidingUser,
    [property: Id(7)] string? DecidingSegment,
    [property: Id(8)] string? OtherSegment)
{
    /// <summary>A one-line explanation for people.</summary>
    public string Message
    {
        get
        {
            var otherUser = string.Equals(DecidingUser, UserB, StringComparison.Ordinal) ? UserA : UserB;
            return Reason switch
            {
                BarrierDecisionReason.NoActivePolicies => "No information-barrier policy is active.",
                BarrierDecisionReason.NotRestricted => "Neither user is in a segment with an active policy.",
                BarrierDecisionReason.SharedSegment => $"Both users are in segment '{DecidingSegment}'.",
                BarrierDecisionReason.PermittedByPolicies => $"Policy '{DecidingPolicy}' and the other side's policy (if any) permit each other's segments.",
                BarrierDecisionReason.AccountDisabled => $"User '{DecidingUser}' is disabled or hidden; such accounts cannot communicate with anyone under information barriers.",
                BarrierDecisionReason.SegmentConflict => $"User '{DecidingUser}' matches more segments than the mode allows; fix the overlapping segments.",
                BarrierDecisionReason.BlockedByPolicy => $"Policy '{DecidingPolicy}' of segment '{DecidingSegment}' blocks segment '{OtherSegment}' (user '{otherUser}').",
                BarrierDecisionReason.NotInAllowList => $"Policy '{DecidingPolicy}' of segment '{DecidingSegment}' does not allow {(OtherSegment is null ? "users in no segment" : $"segment '{OtherSegment}'")} (user '{otherUser}').",
                BarrierDecisionReason.UnsegmentedUserHiddenByAllowPolicy => $"Policy '{DecidingPolicy}' of segment '{DecidingSegment}' is an allow policy and, on legacy information barriers, hides users in no segment such as '{otherUser}'.",
                BarrierDecisionReason.UserNotFound => $"User '{DecidingUser}' is not in the compiled version; compile again after a directory sync.",
                _ => Reason.ToString(),
            };
        }
    }
}
