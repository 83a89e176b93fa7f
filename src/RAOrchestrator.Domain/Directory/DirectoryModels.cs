using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Domain.Directory;

/// <summary>A verified domain of a customer tenant.</summary>
[GenerateSerializer, Immutable, Alias("raorch.VerifiedDomain")]
public sealed record VerifiedDomain([property: Id(0)] string Name, [property: Id(1)] bool IsDefault, [property: Id(2)] bool IsInitial);

/// <summary>The customer's organization as the directory describes it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.DirectoryOrganization")]
public sealed record DirectoryOrganization(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] IReadOnlyList<VerifiedDomain> Domains);

/// <summary>One licence SKU the tenant subscribes to. Free seats are enabled minus consumed.</summary>
[GenerateSerializer, Immutable, Alias("raorch.LicenceSku")]
public sealed record LicenceSku(
    [property: Id(0)] Guid SkuId,
    [property: Id(1)] string PartNumber,
    [property: Id(2)] int Enabled,
    [property: Id(3)] int Consumed,
    [property: Id(4)] IReadOnlyList<string> ServicePlans)
{
    public int Free => Math.Max(0, Enabled - Consumed);
}

/// <summary>A directory user with the attributes this service reads (including those barrier segments use).</summary>
[GenerateSerializer, Immutable, Alias("raorch.DirectoryUser")]
public sealed record DirectoryUser(
    [property: Id(0)] string Id,
    [property: Id(1)] string UserPrincipalName,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] bool AccountEnabled,
    [property: Id(4)] string UserType,
    [property: Id(5)] string? UsageLocation,
    [property: Id(6)] IReadOnlyList<Guid> AssignedSkus,
    [property: Id(7)] IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>When the directory created the user (Graph's createdDateTime), when it was read.</summary>
    [Id(8)] public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>
/// What <see cref="IDirectoryGateway.CreateLicensedUserAsync"/> found or made. <see cref="Created"/>: this call made the
/// user (false: a user with the UPN was there already, and it was not touched). <see cref="Licensed"/>: the licences
/// were assigned in the same round trip. <see cref="LicenceError"/>: the user was made but Graph refused the licences
/// for a reason that will not pass by itself (no seats, usage location, unknown SKU, conflicting plans).
/// </summary>
public sealed record ProvisionedUser(DirectoryUser User, bool Created, bool Licensed, Errors.OrchestratorException? LicenceError);

/// <summary>A member account to create (never a guest). The password is random and never stored by this service.</summary>
[GenerateSerializer, Immutable, Alias("raorch.NewDirectoryUser")]
public sealed record NewDirectoryUser(
    [property: Id(0)] string UserPrincipalName,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string MailNickname,
    [property: Id(3)] string UsageLocation,
    [property: Id(4)] IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A Teams meeting to schedule: an online meeting (its lobby set as given) plus a calendar event that mails the
/// invitation to every attendee. <see cref="IdempotencyKey"/> names both (Graph <c>externalId</c> and
/// <c>transactionId</c>), so a retry after a crash finds what the first attempt made instead of sending mail twice.
/// </summary>
/// <param name="InvitationHtml">The invitation's body (the link attendees use to ask to join).</param>
[GenerateSerializer, Immutable, Alias("raorch.MeetingRequest")]
public sealed record MeetingRequest(
    [property: Id(0)] string OrganizerUserId,
    [property: Id(1)] string Subject,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset End,
    [property: Id(4)] IReadOnlyList<string> AttendeeAddresses,
    [property: Id(5)] LobbyScope LobbyBypass,
    [property: Id(6)] bool DialInBypass,
    [property: Id(7)] string IdempotencyKey,
    [property: Id(8)] string InvitationHtml);

/// <summary>The meeting Graph created.</summary>
[GenerateSerializer, Immutable, Alias("raorch.CreatedMeeting")]
public sealed record CreatedMeeting([property: Id(0)] string EventId, [property: Id(1)] string JoinUrl, [property: Id(2)] string OnlineMeetingId);
