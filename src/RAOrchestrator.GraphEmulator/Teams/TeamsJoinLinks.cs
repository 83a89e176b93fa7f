using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Teams;

/// <summary>
/// The shape of a Teams meeting's join URL, as Graph hands it out in <c>joinWebUrl</c>:
/// <c>https://teams.microsoft.com/l/meetup-join/{thread id}/{message id}?context={"Tid":…,"Oid":…}</c>. The meeting's
/// chat thread id (<c>19:meeting_…@thread.v2</c>) names the meeting, as it does for Teams.
/// </summary>
public static partial class TeamsJoinLinks
{
    /// <summary>The path every join URL starts with, on teams.microsoft.com and on the emulator that plays it.</summary>
    public const string PathPrefix = "/l/meetup-join/";

    /// <summary>A new meeting's join URL and chat thread id.</summary>
    public static string NewJoinUrl(string tenantId, string organizerId, out string threadId)
    {
        var meeting = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        threadId = $"19:meeting_{meeting}@thread.v2";
        return $"https://teams.microsoft.com{PathPrefix}19%3ameeting_{meeting}%40thread.v2/0?context=%7b%22Tid%22%3a%22{tenantId}%22%2c%22Oid%22%3a%22{organizerId}%22%7d";
    }

    /// <summary>The thread id a join URL's path names (<c>/l/meetup-join/{thread}/{message}</c>, escaped or not); null when the path is not one.</summary>
    public static string? ThreadOf(string? path)
    {
        if (path is null || path.Length > 1024 || !path.StartsWith(PathPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = path[PathPrefix.Length..].Split('/');
        if (parts.Length != 2)
        {
            return null;
        }

        var thread = Uri.UnescapeDataString(parts[0]);
        return ThreadId().IsMatch(thread) && MessageId().IsMatch(parts[1]) ? thread : null;
    }

    /// <summary>The thread id of a whole join URL (any host: the emulator serves the same path); null when it is not one.</summary>
    public static string? ThreadOfUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? ThreadOf(uri.AbsolutePath) : null;

    /// <summary>The online meeting (and its tenant) whose chat thread is <paramref name="threadId"/>, while it exists. Call under <see cref="EmulatorState.Sync"/>.</summary>
    public static (TenantState Tenant, StoredItem Meeting)? Find(EmulatorState state, string threadId)
    {
        foreach (var tenant in state.Tenants.Values)
        {
            if (tenant.OnlineMeetings.FirstOrDefault(m => (string?)m.Body["chatInfo"]?["threadId"] == threadId) is { } meeting)
            {
                return (tenant, meeting);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^19:meeting_[A-Za-z0-9_-]{1,200}@thread\.v2\z", RegexOptions.CultureInvariant)]
    private static partial Regex ThreadId();

    [GeneratedRegex(@"^[0-9]{1,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex MessageId();
}
