namespace RAOrchestrator.Domain.Directory;

/// <summary>
/// The narrow, domain-shaped way into a customer tenant's directory (Microsoft Graph behind it). Every failure is an
/// <see cref="Errors.OrchestratorException"/> with a reason a partner can act on (CONSENT_MISSING, NO_SEATS_AVAILABLE, ...).
/// Implementations honour Graph's throttling and retry transient failures themselves; callers do not retry.
/// </summary>
public interface IDirectoryGateway
{
    /// <summary>Gets an app token for the tenant; fails with CONSENT_MISSING, TENANT_UNKNOWN_TO_ENTRA or APP_CREDENTIAL_REJECTED.</summary>
    Task VerifyConsentAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The application permissions granted to the app in the tenant: the <c>roles</c> of its Graph token.</summary>
    Task<IReadOnlyList<string>> GetAppPermissionsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether Teams grants the app an application access policy (app-only online meetings), found by a harmless
    /// online-meeting lookup on behalf of one of the tenant's users. Null when the tenant has no user to ask for.
    /// </summary>
    Task<bool?> ProbeApplicationAccessPolicyAsync(string tenantId, CancellationToken cancellationToken = default);

    Task<DirectoryOrganization> GetOrganizationAsync(string tenantId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LicenceSku>> GetLicenceInventoryAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The user with this UPN, or null.</summary>
    Task<DirectoryUser?> FindUserAsync(string tenantId, string userPrincipalName, CancellationToken cancellationToken = default);

    /// <summary>Creates the user, or returns the existing one with the same UPN (a retried create never duplicates).</summary>
    Task<DirectoryUser> EnsureUserAsync(string tenantId, NewDirectoryUser user, CancellationToken cancellationToken = default);

    /// <summary>Many <see cref="EnsureUserAsync"/> at once, sent as $batch calls of up to 20; results in input order.</summary>
    Task<IReadOnlyList<DirectoryUser>> EnsureUsersAsync(string tenantId, IReadOnlyList<NewDirectoryUser> users, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the member user (usage location and attributes in the body) and assigns <paramref name="skus"/> in the
    /// same round trip: a create and an assignment that depends on it, sent in a $batch together with the tenant's
    /// other concurrent calls. A UPN that exists already is not an error: the answer is that user (with its
    /// createdDateTime, so a caller can tell its own lost create from someone else's user), created and licensed by
    /// nobody here. No GET is spent unless the UPN exists.
    /// </summary>
    Task<ProvisionedUser> CreateLicensedUserAsync(string tenantId, NewDirectoryUser user, IReadOnlyList<Guid> skus, CancellationToken cancellationToken = default);

    /// <summary>Sets usage location and segment attributes (department, companyName, extension attributes, ...).</summary>
    Task UpdateUserAsync(string tenantId, string userId, string? usageLocation, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default);

    /// <summary>Adds and removes licences; assigning a SKU the user already has consumes no second seat.</summary>
    Task<DirectoryUser> AssignLicencesAsync(string tenantId, string userId, IReadOnlyList<Guid> add, IReadOnlyList<Guid> remove, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user this service created (undoing a provisioning that failed).</summary>
    Task DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Disables the account (offboarding keeps the object for the tenant admin to delete).</summary>
    Task DisableUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Users whose display name, UPN or mail starts with <paramref name="prefix"/>, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DirectoryUser>> SearchUsersAsync(string tenantId, string prefix, int max, CancellationToken cancellationToken = default);

    /// <summary>Pages through every user with the attributes barrier segments need.</summary>
    IAsyncEnumerable<DirectoryUser> ListUsersAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The object ids of a group's members (direct members, every page), the group named by object id, display name,
    /// mail nickname or mail; null when the tenant has no such group.
    /// </summary>
    Task<IReadOnlyList<string>?> GetGroupMemberIdsAsync(string tenantId, string group, CancellationToken cancellationToken = default);

    /// <summary>A user by object id, or null when the tenant has no such user.</summary>
    Task<DirectoryUser?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Schedules a Teams meeting: creates (or, on a retry, finds) the online meeting by its idempotency key, sets its
    /// lobby, then creates the calendar event that mails the invitation (needs the tenant's application access policy:
    /// APP_ACCESS_POLICY_MISSING). A retry with the same key creates nothing twice and sends no second mail.
    /// </summary>
    Task<CreatedMeeting> CreateMeetingAsync(string tenantId, MeetingRequest meeting, CancellationToken cancellationToken = default);

    /// <summary>Deletes a Teams online meeting, so its join URL stops working; a meeting already gone is done.</summary>
    Task DeleteMeetingAsync(string tenantId, string organizerUserId, string onlineMeetingId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Mails an invitation to more attendees of a meeting already scheduled: a calendar event keyed by
    /// <paramref name="transactionId"/> (a retry sends nothing twice). Returns the event id.
    /// </summary>
    Task<string> SendInvitationAsync(string tenantId, MeetingRequest meeting, string transactionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (or, on a retry, finds) an online meeting by its idempotency key and sets its lobby, without mailing
    /// anyone: the replacement of a meeting whose URL must stop working. <see cref="CreatedMeeting.EventId"/> is empty.
    /// </summary>
    Task<CreatedMeeting> CreateOnlineMeetingAsync(string tenantId, MeetingRequest meeting, CancellationToken cancellationToken = default);
}
