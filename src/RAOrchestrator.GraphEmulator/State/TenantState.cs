using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>One tenant's directory, licences, meetings and Teams settings. Guarded by <see cref="EmulatorState.Sync"/>.</summary>
public sealed class TenantState
{
    public required string Id { get; set; }
    public string DisplayName { get; set; } = "";
    public List<DomainData> Domains { get; } = [];
    public HashSet<string> ConsentedApps { get; } = new(StringComparer.OrdinalIgnoreCase);
    public HashSet<string> ApplicationAccessPolicyApps { get; } = new(StringComparer.OrdinalIgnoreCase);
    public TeamsSettings TeamsSettings { get; set; } = new();
    public List<SkuData> Skus { get; } = [];
    public List<(Guid A, Guid B)> MutuallyExclusiveSkus { get; } = [];
    /// <summary>Users as Graph JSON, in creation order. Each has a string <c>id</c>.</summary>
    public List<JsonObject> Users { get; } = [];
    public List<GroupState> Groups { get; } = [];
    /// <summary>Directory role template ids by user id (what sign-in puts in <c>wids</c>).</summary>
    public Dictionary<string, HashSet<Guid>> DirectoryRoles { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<OutboxMessage> Outbox { get; } = [];
    /// <summary>Messages the tenant's mailboxes sent with <c>sendMail</c> (not the event invitations in <see cref="Outbox"/>).</summary>
    public MailLog Mail { get; } = new();
    public List<StoredItem> Events { get; } = [];
    public List<StoredItem> OnlineMeetings { get; } = [];
    public TemporaryAccessPassPolicyData TemporaryAccessPassPolicy { get; set; } = new();
    /// <summary>Each user's Temporary Access Pass method, by user id (Graph keeps at most one).</summary>
    public Dictionary<string, TemporaryAccessPassMethod> TemporaryAccessPasses { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Application permissions granted per app (client id); an app not listed has the emulator's default set.</summary>
    public Dictionary<string, List<string>> AppPermissions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonObject? FindUser(string idOrUpn)
    {
        foreach (var u in Users)
        {
            if (string.Equals((string?)u["id"], idOrUpn, StringComparison.OrdinalIgnoreCase) ||
                string.Equals((string?)u["userPrincipalName"], idOrUpn, StringComparison.OrdinalIgnoreCase))
            {
                return u;
            }
        }
        return null;
    }

    public IReadOnlySet<Guid> RolesOf(string userId) =>
        DirectoryRoles.TryGetValue(userId, out var roles) ? roles : new HashSet<Guid>();

    public GroupState? FindGroup(string id) =>
        Groups.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase));

    public SkuData? FindSku(Guid skuId) => Skus.FirstOrDefault(s => s.SkuId == skuId);

    /// <summary>Seats in use: users holding the SKU (a user holds a SKU at most once).</summary>
    public int ConsumedUnits(Guid skuId) => Users.Count(u => UserHasSku(u, skuId));

    public static bool UserHasSku(JsonObject user, Guid skuId) =>
        user["assignedLicenses"] is JsonArray arr &&
        arr.Any(l => Guid.TryParse((string?)l?["skuId"], out var g) && g == skuId);

    public bool IsVerifiedDomain(string domain) =>
        Domains.Any(d => string.Equals(d.Name, domain, StringComparison.OrdinalIgnoreCase));

    public string DefaultDomain =>
        (Domains.FirstOrDefault(d => d.IsDefault) ?? Domains.FirstOrDefault())?.Name ?? "example.onmicrosoft.com";
}

public sealed class GroupState
{
    public required string Id { get; set; }
    public required JsonObject Properties { get; init; }
    public List<string> MemberIds { get; } = [];
}

/// <summary>An event or online meeting kept for its organizer.</summary>
public sealed class StoredItem
{
    public required string UserId { get; init; }
    public required string Id { get; set; }
    public required JsonObject Body { get; set; }
}

/// <summary>An invitation the emulator "sent" for an event.</summary>
public sealed record OutboxMessage(
    string To,
    string Subject,
    string? JoinUrl,
    string Organizer,
    string EventId,
    JsonNode? Start,
    JsonNode? End,
    DateTimeOffset SentAt,
    string? Body = null);
