using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Azure.Core;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using RAOrchestrator.Directory.Batching;
using RAOrchestrator.Directory.Throttling;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Directory;

/// <summary>
/// <see cref="IDirectoryGateway"/> over the real Microsoft Graph SDK. Each call is a span ("graph.{operation}") whose
/// children are the HTTP attempts; each failure becomes a domain error (<see cref="GraphErrors"/>).
/// </summary>
public sealed partial class GraphDirectoryGateway(TenantGraphClients clients, GraphRateGovernor governor, TimeProvider time) : IDirectoryGateway
{
    private const int BatchLimit = 20;

    private readonly GraphBatchCoalescer _batches = new(clients, governor, time);

    public Task VerifyConsentAsync(string tenantId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "verify_consent", async () =>
        {
            await clients.Credential(tenantId).GetTokenAsync(new TokenRequestContext([TenantGraphClients.GraphScope]), cancellationToken);
            return true;
        });

    public Task<bool?> ProbeApplicationAccessPolicyAsync(string tenantId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "probe_application_access_policy", async () =>
        {
            var users = await Graph(tenantId).Users.GetAsync(r =>
            {
                r.QueryParameters.Select = ["id"];
                r.QueryParameters.Top = 1;
            }, cancellationToken);
            if (users?.Value?.FirstOrDefault()?.Id is not { } userId)
            {
                return (bool?)null;
            }

            try
            {
                await Graph(tenantId).Users[userId].OnlineMeetings.GetAsync(
                    r => r.QueryParameters.Filter = "JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/raorchestrator-probe'", cancellationToken);
                return true;
            }
            catch (ODataError error) when (error.ResponseStatusCode == 403 && error.Error?.Message?.Contains("application access policy", StringComparison.OrdinalIgnoreCase) == true)
            {
                return false;
            }
        });

    public Task<DirectoryOrganization> GetOrganizationAsync(string tenantId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "get_organization", async () =>
        {
            var page = await Graph(tenantId).Organization.GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "verifiedDomains"], cancellationToken);
            var organization = page?.Value?.FirstOrDefault() ?? throw OrchestratorException.NotFound($"organization of tenant {tenantId}");
            var domains = (organization.VerifiedDomains ?? []).Select(d => new Domain.Directory.VerifiedDomain(d.Name ?? string.Empty, d.IsDefault == true, d.IsInitial == true)).ToArray();
            return new DirectoryOrganization(organization.Id ?? tenantId, organization.DisplayName ?? string.Empty, domains);
        });

    public Task<IReadOnlyList<LicenceSku>> GetLicenceInventoryAsync(string tenantId, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<LicenceSku>>(tenantId, "get_licence_inventory", async () =>
        {
            var page = await Graph(tenantId).SubscribedSkus.GetAsync(cancellationToken: cancellationToken);
            return (page?.Value ?? []).Where(s => s.SkuId is not null).Select(s => new LicenceSku(
                s.SkuId!.Value,
                s.SkuPartNumber ?? string.Empty,
                s.PrepaidUnits?.Enabled ?? 0,
                s.ConsumedUnits ?? 0,
                (s.ServicePlans ?? []).Select(p => p.ServicePlanName ?? string.Empty).ToArray())).ToArray();
        });

    public Task<DirectoryUser?> FindUserAsync(string tenantId, string userPrincipalName, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "find_user", () => FindAsync(tenantId, userPrincipalName, cancellationToken));

    public Task<DirectoryUser> EnsureUserAsync(string tenantId, NewDirectoryUser user, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "ensure_user", async () =>
        {
            try
            {
                var created = await Graph(tenantId).Users.PostAsync(GraphMapping.ToGraph(user), cancellationToken: cancellationToken);
                return GraphMapping.ToDomain(created!);
            }
            catch (ODataError error) when (GraphErrors.IsUpnConflict(error))
            {
                // An earlier attempt (ours, whose answer was lost) created it: take that one.
                return await FindAsync(tenantId, user.UserPrincipalName, cancellationToken)
                    ?? throw GraphErrors.Map(error, tenantId, clients.Options.ClientId);
            }
        });

    public Task<IReadOnlyList<DirectoryUser>> EnsureUsersAsync(string tenantId, IReadOnlyList<NewDirectoryUser> users, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<DirectoryUser>>(tenantId, "ensure_users", async () =>
        {
            var results = new DirectoryUser?[users.Count];
            foreach (var chunk in Enumerable.Range(0, users.Count).Chunk(BatchLimit))
            {
                await EnsureChunkAsync(tenantId, users, chunk, results, cancellationToken);
            }

            return results.Select(r => r!).ToArray();
        });

    public Task UpdateUserAsync(string tenantId, string userId, string? usageLocation, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "update_user", async () =>
        {
            var patch = new User { UsageLocation = usageLocation };
            UserAttributes.Apply(patch, attributes);
            await Graph(tenantId).Users[userId].PatchAsync(patch, cancellationToken: cancellationToken);
            return true;
        });

    public Task<ProvisionedUser> CreateLicensedUserAsync(string tenantId, NewDirectoryUser user, IReadOnlyList<Guid> skus, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "create_licensed_user", () => _batches.SendAsync(tenantId, new CreateLicensedUserItem(user, skus, DirectoryBatchHint.Current())));

    /// <summary>Coalesced with the tenant's other calls; Graph's answer to assignLicense is the user, so no GET follows.</summary>
    public Task<DirectoryUser> AssignLicencesAsync(string tenantId, string userId, IReadOnlyList<Guid> add, IReadOnlyList<Guid> remove, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "assign_licences", () => _batches.SendAsync(tenantId, new AssignLicencesItem(userId, add, remove)));

    public Task DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "delete_user", async () =>
        {
            try
            {
                await Graph(tenantId).Users[userId].DeleteAsync(cancellationToken: cancellationToken);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                // Already gone: a retried undo.
            }

            return true;
        });

    public Task DisableUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "disable_user", async () =>
        {
            try
            {
                await Graph(tenantId).Users[userId].PatchAsync(new User { AccountEnabled = false }, cancellationToken: cancellationToken);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                // Gone: a user deleted is disabled too (a retried undo, or the admin deleted it first).
            }

            return true;
        });

    public Task<IReadOnlyList<DirectoryUser>> SearchUsersAsync(string tenantId, string prefix, int max, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<DirectoryUser>>(tenantId, "search_users", async () =>
        {
            var quoted = prefix.Replace("'", "''", StringComparison.Ordinal);
            var page = await Graph(tenantId).Users.GetAsync(r =>
            {
                r.QueryParameters.Filter = $"startswith(displayName,'{quoted}') or startswith(userPrincipalName,'{quoted}') or startswith(mail,'{quoted}')";
                r.QueryParameters.Select = UserAttributes.Select;
                r.QueryParameters.Top = Math.Clamp(max, 1, 999);
            }, cancellationToken);
            return (page?.Value ?? []).Select(GraphMapping.ToDomain).ToArray();
        });

    public async IAsyncEnumerable<DirectoryUser> ListUsersAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await RunAsync(tenantId, "list_users", () => Graph(tenantId).Users.GetAsync(r =>
        {
            r.QueryParameters.Select = UserAttributes.Select;
            r.QueryParameters.Top = 999;
        }, cancellationToken));
        while (page is not null)
        {
            foreach (var user in page.Value ?? [])
            {
                yield return GraphMapping.ToDomain(user);
            }

            if (page.OdataNextLink is not { } next)
            {
                yield break;
            }

            page = await RunAsync(tenantId, "list_users", () => Graph(tenantId).Users.WithUrl(next).GetAsync(cancellationToken: cancellationToken));
        }
    }

    public Task<IReadOnlyList<string>?> GetGroupMemberIdsAsync(string tenantId, string group, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<string>?>(tenantId, "group_members", async () =>
        {
            var quoted = group.Replace("'", "''", StringComparison.Ordinal);
            var filter = Guid.TryParse(group, out _)
                ? $"id eq '{quoted}'"
                : $"displayName eq '{quoted}' or mailNickname eq '{quoted}' or mail eq '{quoted}'";
            var found = await Graph(tenantId).Groups.GetAsync(r =>
            {
                r.QueryParameters.Filter = filter;
                r.QueryParameters.Select = ["id"];
            }, cancellationToken);
            if (found?.Value?.FirstOrDefault()?.Id is not { } groupId)
            {
                return null;
            }

            var members = new List<string>();
            var page = await Graph(tenantId).Groups[groupId].Members.GetAsync(r =>
            {
                r.QueryParameters.Select = ["id"];
                r.QueryParameters.Top = 999;
            }, cancellationToken);
            while (page is not null)
            {
                members.AddRange((page.Value ?? []).Select(m => m.Id).OfType<string>());
                page = page.OdataNextLink is { } next
                    ? await Graph(tenantId).Groups[groupId].Members.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                    : null;
            }

            return members;
        });

    public Task<DirectoryUser?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "get_user", async () =>
        {
            try
            {
                var user = await Graph(tenantId).Users[userId].GetAsync(r => r.QueryParameters.Select = UserAttributes.Select, cancellationToken);
                return user is null ? null : GraphMapping.ToDomain(user);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                return null;
            }
        });

    public Task<CreatedMeeting> CreateMeetingAsync(string tenantId, MeetingRequest meeting, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "create_meeting", async () =>
        {
            var (joinUrl, onlineMeetingId) = await CreateOrGetOnlineMeetingAsync(tenantId, meeting, cancellationToken);

            // The invitation: a calendar event without a Teams link of its own (the link reaches people in join
            // tickets), keyed by transactionId so Exchange answers a retry with the same event and mails nobody twice.
            var eventId = await PostInvitationAsync(tenantId, meeting, meeting.IdempotencyKey, cancellationToken);
            return new CreatedMeeting(eventId, joinUrl, onlineMeetingId);
        });

    public Task<CreatedMeeting> CreateOnlineMeetingAsync(string tenantId, MeetingRequest meeting, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "create_meeting", async () =>
        {
            var (joinUrl, onlineMeetingId) = await CreateOrGetOnlineMeetingAsync(tenantId, meeting, cancellationToken);
            return new CreatedMeeting(string.Empty, joinUrl, onlineMeetingId);
        });

    public Task DeleteMeetingAsync(string tenantId, string organizerUserId, string onlineMeetingId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "delete_meeting", async () =>
        {
            try
            {
                await Graph(tenantId).Users[organizerUserId].OnlineMeetings[onlineMeetingId].DeleteAsync(cancellationToken: cancellationToken);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                // Already gone: its URL works no more, which is all deleting is for.
            }

            return true;
        });

    private async Task<(string JoinUrl, string OnlineMeetingId)> CreateOrGetOnlineMeetingAsync(string tenantId, MeetingRequest meeting, CancellationToken cancellationToken)
    {
        var organizer = Graph(tenantId).Users[meeting.OrganizerUserId];

        // createOrGet keyed by externalId: a retry after a lost answer gets the same meeting back.
        var online = await organizer.OnlineMeetings.CreateOrGet.PostAsync(new Microsoft.Graph.Users.Item.OnlineMeetings.CreateOrGet.CreateOrGetPostRequestBody
        {
            ExternalId = meeting.IdempotencyKey,
            Subject = meeting.Subject,
            StartDateTime = meeting.Start,
            EndDateTime = meeting.End,
        }, cancellationToken: cancellationToken);
        var joinUrl = online?.JoinWebUrl ?? throw new OrchestratorException(ErrorKind.Unavailable, GraphErrors.GraphUnavailable,
            "Teams answered without the meeting's join URL; the work will be retried.");

        // The lobby is not part of createOrGet; setting it again on a retry changes nothing.
        await organizer.OnlineMeetings[online.Id].PatchAsync(new OnlineMeeting
        {
            LobbyBypassSettings = new LobbyBypassSettings { Scope = ToGraph(meeting.LobbyBypass), IsDialInBypassEnabled = meeting.DialInBypass },
            AllowedLobbyAdmitters = AllowedLobbyAdmitterRoles.OrganizerAndCoOrganizers,
        }, r => r.Headers.Add("Prefer", "include-unknown-enum-members"), cancellationToken);
        return (joinUrl, online.Id ?? string.Empty);
    }

    public Task<string> SendInvitationAsync(string tenantId, MeetingRequest meeting, string transactionId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "send_invitation", () => PostInvitationAsync(tenantId, meeting, transactionId, cancellationToken));

    private async Task<string> PostInvitationAsync(string tenantId, MeetingRequest meeting, string transactionId, CancellationToken cancellationToken)
    {
        var created = await Graph(tenantId).Users[meeting.OrganizerUserId].Events.PostAsync(new Event
        {
            Subject = meeting.Subject,
            TransactionId = transactionId,
            Start = new DateTimeTimeZone { DateTime = meeting.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), TimeZone = "UTC" },
            End = new DateTimeTimeZone { DateTime = meeting.End.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), TimeZone = "UTC" },
            Body = new ItemBody { ContentType = BodyType.Html, Content = meeting.InvitationHtml },
            Location = new Location { DisplayName = "Dynamics 365 Remote Assist session" },
            Attendees = meeting.AttendeeAddresses.Select(a => new Attendee { Type = AttendeeType.Required, EmailAddress = new EmailAddress { Address = a } }).ToList(),
            IsOnlineMeeting = false,
        }, cancellationToken: cancellationToken);
        return created?.Id ?? string.Empty;
    }

    private static Microsoft.Graph.Models.LobbyBypassScope ToGraph(Domain.Sessions.LobbyScope scope) => scope switch
    {
        Domain.Sessions.LobbyScope.Organizer => Microsoft.Graph.Models.LobbyBypassScope.Organizer,
        Domain.Sessions.LobbyScope.Organization => Microsoft.Graph.Models.LobbyBypassScope.Organization,
        Domain.Sessions.LobbyScope.OrganizationAndFederated => Microsoft.Graph.Models.LobbyBypassScope.OrganizationAndFederated,
        Domain.Sessions.LobbyScope.Everyone => Microsoft.Graph.Models.LobbyBypassScope.Everyone,
        Domain.Sessions.LobbyScope.Invited => Microsoft.Graph.Models.LobbyBypassScope.Invited,
        _ => Microsoft.Graph.Models.LobbyBypassScope.OrganizationExcludingGuests,
    };

    private async Task EnsureChunkAsync(string tenantId, IReadOnlyList<NewDirectoryUser> users, int[] chunk, DirectoryUser?[] results, CancellationToken cancellationToken)
    {
        var graph = Graph(tenantId);
        var pending = chunk.ToList();
        for (var round = 1; pending.Count > 0; round++)
        {
            var batch = new BatchRequestContentCollection(graph);
            var steps = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var index in pending)
            {
                steps[await batch.AddBatchRequestStepAsync(graph.Users.ToPostRequestInformation(GraphMapping.ToGraph(users[index])))] = index;
            }

            var response = await graph.Batch.PostAsync(batch, cancellationToken);
            var statuses = await response.GetResponsesStatusCodesAsync();
            await HoldIfThrottledAsync(tenantId, response, statuses);
            var retry = new List<int>();
            TimeSpan? wait = null;
            foreach (var (stepId, index) in steps)
            {
                var status = statuses.TryGetValue(stepId, out var s) ? s : HttpStatusCode.ServiceUnavailable;
                if (status == HttpStatusCode.Created)
                {
                    results[index] = GraphMapping.ToDomain(await response.GetResponseByIdAsync<User>(stepId));
                    continue;
                }

                using var inner = await response.GetResponseByIdAsync(stepId);
                if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway)
                {
                    if (status == HttpStatusCode.TooManyRequests)
                    {
                        GraphTelemetry.Throttled.Add(1);
                    }

                    var after = inner is null ? null : GraphResilienceHandler.RetryAfter(inner, time.GetUtcNow());
                    wait = after is { } a && (wait is null || a > wait) ? a : wait ?? TimeSpan.FromMilliseconds(200 * round);
                    retry.Add(index);
                    continue;
                }

                // Anything else is this user's own failure, with an OData error body.
                var error = await GraphMapping.ReadErrorAsync(inner, (int)status);
                if (GraphErrors.IsUpnConflict(error))
                {
                    results[index] = await FindAsync(tenantId, users[index].UserPrincipalName, cancellationToken)
                        ?? throw GraphErrors.Map(error, tenantId, clients.Options.ClientId);
                    continue;
                }

                throw GraphErrors.Map(error, tenantId, clients.Options.ClientId);
            }

            if (retry.Count > 0)
            {
                if (round >= clients.Options.MaxAttempts)
                {
                    throw new OrchestratorException(ErrorKind.Unavailable, GraphErrors.GraphUnavailable, $"Graph kept throttling user creation in tenant {tenantId}; the work will be retried.");
                }

                // Inner 429s hold the whole tenant at the governor, exactly like top-level ones.
                governor.Throttled(tenantId, wait ?? TimeSpan.FromSeconds(1));
            }

            pending = retry;
        }
    }

    /// <summary>
    /// Inner 429s hold the tenant at the governor before anything else is sent: a UPN conflict in the same batch looks
    /// its user up, and that request must wait for the Retry-After like every other.
    /// </summary>
    private async Task HoldIfThrottledAsync(string tenantId, BatchResponseContentCollection response, Dictionary<string, HttpStatusCode> statuses)
    {
        foreach (var (stepId, status) in statuses)
        {
            if (status == HttpStatusCode.TooManyRequests)
            {
                using var inner = await response.GetResponseByIdAsync(stepId);
                var after = inner is null ? null : GraphResilienceHandler.RetryAfter(inner, time.GetUtcNow());
                governor.Throttled(tenantId, after ?? TimeSpan.FromSeconds(1), inner is null ? null : GraphResilienceHandler.Scope(inner));
            }
        }
    }

    private async Task<DirectoryUser?> FindAsync(string tenantId, string userPrincipalName, CancellationToken cancellationToken)
    {
        var escaped = userPrincipalName.Replace("'", "''", StringComparison.Ordinal);
        var page = await Graph(tenantId).Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"userPrincipalName eq '{escaped}'";
            r.QueryParameters.Select = UserAttributes.Select;
        }, cancellationToken);
        return page?.Value?.FirstOrDefault() is { } user ? GraphMapping.ToDomain(user) : null;
    }

    private GraphServiceClient Graph(string tenantId) => clients.Client(tenantId);

    private async Task<T> RunAsync<T>(string tenantId, string operation, Func<Task<T>> call)
    {
        using var activity = GraphTelemetry.Source.StartActivity($"graph.{operation}", ActivityKind.Internal);
        activity?.SetTag("raorchestrator.tenant", tenantId);
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = GraphErrors.Map(ex, tenantId, clients.Options.ClientId);
            activity?.SetStatus(ActivityStatusCode.Error, error.Reason);
            throw error;
        }
    }
}
