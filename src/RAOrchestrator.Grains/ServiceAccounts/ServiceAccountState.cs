using RAOrchestrator.Abstractions.ServiceAccounts;

namespace RAOrchestrator.Grains.ServiceAccounts;

/// <summary>
/// Where the provisioning saga is; each value is written before the step it names starts. Seats are reserved first:
/// an account refused for lack of seats never touches the directory. The user is then created with its licences in
/// one round trip (ReserveSeats → Confirm); AssignLicences follows only a user found already there or a throttled
/// assignment.
/// </summary>
public enum ProvisioningStep
{
    /// <summary>
    /// Reserve, then create the user, with no write between them. Both repeat safely after a crash: the ledger keeps
    /// a reservation once it answered it (the UPN stays claimed whether or not the tenant closed since, and a hold not
    /// yet confirmed is never dropped), so a repeat is refused only when the first never landed, when no create went
    /// out; and a user with the UPN made after <see cref="ServiceAccountState.CreateSentAt"/> is ours.
    /// </summary>
    ReserveSeats = 1,

    /// <summary>Only in accounts stored before reservation and creation became one step: create the user.</summary>
    CreatingUser = 3,
    AssignLicences = 4,

    /// <summary>
    /// Written with the account ACTIVE: the user has its licences; the seat ledger's confirmation is left. Confirming
    /// is idempotent and takes no write of the account's own, so storage may keep this step after it is done; the
    /// next activation confirms again.
    /// </summary>
    Confirm = 5,
    Done = 6,
}

[GenerateSerializer, Alias("raorch.ServiceAccountState")]
public sealed class ServiceAccountState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public ServiceAccountSpec? Spec { get; set; }
    [Id(2)] public ServiceAccountStatus Status { get; set; }
    [Id(3)] public ProvisioningStep Step { get; set; }
    [Id(4)] public string UserId { get; set; } = string.Empty;

    /// <summary>True when this service created the user (so undoing deletes it); false when it found one.</summary>
    [Id(5)] public bool CreatedUser { get; set; }
    [Id(6)] public string FailureReason { get; set; } = string.Empty;
    [Id(7)] public string FailureMessage { get; set; } = string.Empty;
    [Id(8)] public string RequestId { get; set; } = string.Empty;
    [Id(9)] public DateTimeOffset CreateTime { get; set; }
    [Id(10)] public DateTimeOffset UpdateTime { get; set; }
    [Id(11)] public long Version { get; set; }
    [Id(12)] public int FailureKind { get; set; }
    [Id(13)] public string LastUpdateRequestId { get; set; } = string.Empty;

    /// <summary>When the first create of the user went out: a user with the UPN made after it is ours.</summary>
    [Id(14)] public DateTimeOffset CreateSentAt { get; set; }

    /// <summary>
    /// The request key (<c>{partner}|{request id}</c>) of the delete that forgot the account: all a deleted account keeps,
    /// so a repeat of that delete answers as it did. Bound: one key per account name.
    /// </summary>
    [Id(16)] public string DeletedByRequest { get; set; } = string.Empty;

    /// <summary>
    /// The SKUs this service assigned to the user (recorded before they are assigned), the only licences it ever
    /// removes; a SKU an adopted user held already is not among them. Null until the user was made or found.
    /// </summary>
    [Id(15)] public List<Guid>? AssignedSkus { get; set; }

    /// <summary>
    /// The sign-in passes issued for the account, oldest first, the last <see cref="ServiceAccountGrain.PassHistoryLimit"/>:
    /// request key, method id, times, one-time use, delivery. Never the pass (it is returned to the caller only).
    /// </summary>
    [Id(17)] public List<IssuedPassRecord> SignInPasses { get; set; } = [];
}
