using System.Text;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>
/// The Microsoft Graph v1.0 resources the emulator serves. Handlers are synchronous and run under
/// <see cref="EmulatorState.Sync"/>; the same dispatcher serves top-level and $batch inner requests.
/// </summary>
public sealed partial class GraphApi(EmulatorState state, TimeProvider time)
{
    /// <summary>A stable name for counters, e.g. <c>GET /users/{id}</c>.</summary>
    public static string EndpointName(string method, string[] s)
    {
        var sb = new StringBuilder(method.ToUpperInvariant()).Append(' ');
        if (s.Length == 0)
        {
            return sb.Append('/').ToString();
        }

        for (var i = 0; i < s.Length; i++)
        {
            sb.Append('/');
            // Odd positions under users/groups/events/onlineMeetings are ids.
            var isId = (i % 2 == 1 && s[i - 1] is "users" or "groups" or "events" or "onlineMeetings") ||
                (i > 0 && s[i - 1] is "temporaryAccessPassMethods");
            sb.Append(isId ? "{id}" : s[i]);
        }
        return sb.ToString();
    }

    /// <summary>Resource units a request costs (platform-facts: GET user(s) 2, subscribedSkus 3, writes 1, $select -1, $expand +1).</summary>
    public static int Cost(string method, string[] s, IReadOnlyDictionary<string, string> query)
    {
        int cost;
        if (!HttpMethods.IsGet(method))
        {
            cost = 1;
        }
        else if (s is ["users"] or ["users", _])
        {
            cost = 2;
        }
        else if (s is ["subscribedSkus", ..])
        {
            cost = 3;
        }
        else
        {
            cost = 1;
        }

        if (query.ContainsKey("$select"))
        {
            cost -= 1;
        }

        if (query.ContainsKey("$expand"))
        {
            cost += 1;
        }

        return Math.Max(1, cost);
    }

    public static bool IsWrite(string method) => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

    public GraphResponse Dispatch(GraphRequest r)
    {
        if (r.BodyIsInvalidJson)
        {
            return GraphResponse.Error(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }

        try
        {
            lock (state.Sync)
            {
                return Route(r);
            }
        }
        catch (UnsupportedQueryException e)
        {
            return GraphResponse.Error(400, "Request_UnsupportedQuery", e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException or ArgumentException)
        {
            return GraphResponse.Error(400, "BadRequest", "Invalid request: " + e.Message);
        }
    }

    private GraphResponse Route(GraphRequest r)
    {
        var m = r.Method.ToUpperInvariant();
        return (r.Segments, m) switch
        {
            (["organization"], "GET") => GetOrganization(r),
            (["subscribedSkus"], "GET") => GetSubscribedSkus(r),
            (["users"], "GET") => ListUsers(r),
            (["users"], "POST") => CreateUser(r),
            (["users", var id], "GET") => GetUser(r, id),
            (["users", var id], "PATCH") => PatchUser(r, id),
            (["users", var id], "DELETE") => DeleteUser(r, id),
            (["users", var id, "assignLicense"], "POST") => AssignLicense(r, id),
            (["users", var id, "memberOf"], "GET") => MemberOf(r, id),
            (["users", var id, "events"], "GET") => ListEvents(r, id),
            (["users", var id, "events"], "POST") => CreateEvent(r, id),
            (["users", var id, "events", var eid], "GET") => GetEvent(r, id, eid),
            (["users", var id, "events", var eid], "DELETE") => DeleteEvent(r, id, eid),
            (["users", var id, "onlineMeetings"], "POST") => CreateOnlineMeeting(r, id),
            (["users", var id, "onlineMeetings", "createOrGet"], "POST") => CreateOrGetOnlineMeeting(r, id),
            (["users", var id, "onlineMeetings"], "GET") => ListOnlineMeetings(r, id),
            (["users", var id, "onlineMeetings", var mid], "GET") => GetOnlineMeeting(r, id, mid),
            (["users", var id, "onlineMeetings", var mid], "PATCH") => PatchOnlineMeeting(r, id, mid),
            (["users", var id, "onlineMeetings", var mid], "DELETE") => DeleteOnlineMeeting(r, id, mid),
            (["users", var id, "sendMail"], "POST") => SendMail(r, id),
            (["users", var id, "authentication", "temporaryAccessPassMethods"], "GET") => ListTemporaryAccessPasses(r, id),
            (["users", var id, "authentication", "temporaryAccessPassMethods"], "POST") => CreateTemporaryAccessPass(r, id),
            (["users", var id, "authentication", "temporaryAccessPassMethods", var tid], "GET") => GetTemporaryAccessPass(r, id, tid),
            (["users", var id, "authentication", "temporaryAccessPassMethods", var tid], "DELETE") => DeleteTemporaryAccessPass(r, id, tid),
            (["policies", "authenticationMethodsPolicy", "authenticationMethodConfigurations", var cid], "GET") => GetAuthenticationMethodConfiguration(r, cid),
            (["groups"], "GET") => ListGroups(r),
            (["groups", var id], "GET") => GetGroup(r, id),
            (["groups", var id, "members"], "GET") => GroupMembers(r, id),
            (["me", ..], _) => GraphResponse.Error(400, "BadRequest", "/me request is only valid with delegated authentication flow."),
            ([], _) => GraphResponse.Error(400, "BadRequest", "Invalid request."),
            _ when KnownRoot(r.Segments[0]) => GraphResponse.Error(405, "Request_BadRequest", $"Specified HTTP method is not allowed for the request target."),
            _ => GraphResponse.Error(400, "BadRequest", $"Resource not found for the segment '{r.Segments[0]}'."),
        };
    }

    private static bool KnownRoot(string s) => s is "organization" or "subscribedSkus" or "users" or "groups" or "policies";

    /// <summary>Pages a collection with $top and an opaque $skiptoken, keeping other query options in the next link.</summary>
    private static GraphResponse Page(GraphRequest r, IReadOnlyList<JsonObject> items, string context, Func<JsonObject, JsonObject> project)
    {
        var top = 100;
        if (r.QueryValue("$top") is { } topText && (!int.TryParse(topText, out top) || top < 1 || top > 999))
        {
            return GraphResponse.Error(400, "Request_BadRequest", $"Invalid page size specified: '{topText}'. Must be between 1 and 999 inclusive.");
        }
        var skip = 0;
        if (r.QueryValue("$skiptoken") is { } token)
        {
            try
            {
                skip = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)).Replace("emu-skip:", ""), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return GraphResponse.Error(400, "Directory_InvalidSkipToken", "The specified page token value has expired and can no longer be included in your request.");
            }
        }
        var body = new JsonObject { ["@odata.context"] = new Uri(r.BaseAddress, "v1.0/$metadata#" + context).ToString() };
        if (string.Equals(r.QueryValue("$count"), "true", StringComparison.OrdinalIgnoreCase))
        {
            body["@odata.count"] = items.Count;
        }

        var page = new JsonArray();
        foreach (var item in items.Skip(skip).Take(top))
        {
            page.Add(project(item));
        }

        if (skip + top < items.Count)
        {
            var q = new StringBuilder();
            foreach (var (k, v) in r.Query)
            {
                if (string.Equals(k, "$skiptoken", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                q.Append(q.Length == 0 ? '?' : '&').Append(k.StartsWith('$') ? k : Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
            }
            var next = Convert.ToBase64String(Encoding.UTF8.GetBytes($"emu-skip:{skip + top}"));
            q.Append(q.Length == 0 ? '?' : '&').Append("$skiptoken=").Append(Uri.EscapeDataString(next));
            var path = string.Join('/', r.Segments.Select(Uri.EscapeDataString));
            body["@odata.nextLink"] = new Uri(r.BaseAddress, $"v1.0/{path}{q}").ToString();
        }
        body["value"] = page;
        return GraphResponse.Ok(body);
    }

    private static List<JsonObject> Filter(GraphRequest r, IEnumerable<JsonObject> items)
    {
        if (r.QueryValue("$filter") is not { Length: > 0 } filter)
        {
            return items.ToList();
        }

        var predicate = ODataFilter.Parse(filter);
        return items.Where(predicate).ToList();
    }

    private static JsonObject? BodyObject(GraphRequest r) => r.Body as JsonObject;

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
}
