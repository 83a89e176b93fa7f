using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.Graph;

public sealed partial class GraphApi
{
    private static readonly string[] GroupDefaults =
        ["id", "displayName", "description", "mailNickname", "mailEnabled", "securityEnabled", "groupTypes", "mail"];

    private GraphResponse GetOrganization(GraphRequest r)
    {
        var t = r.Tenant;
        var domains = new JsonArray();
        foreach (var d in t.Domains)
        {
            domains.Add(new JsonObject
            {
                ["capabilities"] = "Email, OfficeCommunicationsOnline",
                ["isDefault"] = d.IsDefault,
                ["isInitial"] = d.IsInitial,
                ["name"] = d.Name,
                ["type"] = "Managed",
            });
        }
        var org = new JsonObject
        {
            ["id"] = t.Id,
            ["displayName"] = t.DisplayName,
            ["tenantType"] = "AAD",
            ["verifiedDomains"] = domains,
        };
        return Page(r, [org], "organization", o => UserModel.Project(o, r.QueryValue("$select"), ["id", "displayName", "tenantType", "verifiedDomains"]));
    }

    private GraphResponse ListUsers(GraphRequest r)
    {
        var users = Filter(r, r.Tenant.Users);
        return Page(r, users, "users", u => UserModel.Project(u, r.QueryValue("$select"), UserModel.DefaultProperties));
    }

    private GraphResponse GetUser(GraphRequest r, string id)
    {
        var u = r.Tenant.FindUser(id);
        return u is null ? GraphResponse.NotFound(id) : GraphResponse.Ok(WithContext(r, "users/$entity",
            UserModel.Project(u, r.QueryValue("$select"), UserModel.DefaultProperties)));
    }

    private JsonObject WithContext(GraphRequest r, string context, JsonObject o)
    {
        var result = new JsonObject { ["@odata.context"] = new Uri(r.BaseAddress, "v1.0/$metadata#" + context).ToString() };
        foreach (var (k, v) in o)
        {
            result[k] = v?.DeepClone();
        }

        return result;
    }

    private GraphResponse CreateUser(GraphRequest r)
    {
        if (BodyObject(r) is not { } body)
        {
            return GraphResponse.BadRequest("Empty Payload. JSON content expected.");
        }

        foreach (var name in UserModel.RequiredOnCreate)
        {
            if (body[name] is null || (body[name] is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)))
            {
                return PropertyError(name, $"A value is required for property '{name}' of resource 'User'.");
            }
        }
        if (body["passwordProfile"] is not JsonObject pp || string.IsNullOrEmpty((string?)pp["password"]))
        {
            return PropertyError("passwordProfile", "Invalid value specified for property 'passwordProfile' of resource 'User'.");
        }
        var upn = (string)body["userPrincipalName"]!;
        if (UpnError(r, upn, null) is { } error)
        {
            return error;
        }

        if (body["usageLocation"] is JsonValue ul && ((string?)ul)?.Length is not 2)
        {
            return PropertyError("usageLocation", "Invalid value specified for property 'usageLocation' of resource 'User'.");
        }
        var user = (JsonObject)body.DeepClone();
        user.Remove("id");
        user.Remove("assignedLicenses");
        user.Remove("licenseAssignmentStates");
        user["createdDateTime"] = Now();
        UserModel.Normalize(user);
        r.Tenant.Users.Add(user);
        return GraphResponse.Created(WithContext(r, "users/$entity", UserModel.Project(user, null, UserModel.DefaultProperties)));
    }

    private static GraphResponse PropertyError(string property, string message) =>
        GraphResponse.Error(400, "Request_BadRequest", message,
            new JsonArray(new JsonObject { ["code"] = "InvalidValue", ["message"] = message, ["target"] = property }));

    private static GraphResponse? UpnError(GraphRequest r, string upn, string? selfId)
    {
        var at = upn.LastIndexOf('@');
        if (at <= 0 || !r.Tenant.IsVerifiedDomain(upn[(at + 1)..]))
        {
            return PropertyError("userPrincipalName",
                "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.");
        }
        var existing = r.Tenant.FindUser(upn);
        if (existing is not null && !string.Equals((string?)existing["id"], selfId, StringComparison.OrdinalIgnoreCase))
        {
            const string message = "Another object with the same value for property userPrincipalName already exists.";
            return GraphResponse.Error(400, "Request_BadRequest", message,
                new JsonArray(new JsonObject { ["code"] = "ObjectConflict", ["message"] = message, ["target"] = "userPrincipalName" }));
        }
        return null;
    }

    private GraphResponse PatchUser(GraphRequest r, string id)
    {
        var u = r.Tenant.FindUser(id);
        if (u is null)
        {
            return GraphResponse.NotFound(id);
        }

        if (BodyObject(r) is not { } body)
        {
            return GraphResponse.BadRequest("Empty Payload. JSON content expected.");
        }

        if (body["userPrincipalName"] is JsonValue upnValue && UpnError(r, (string)upnValue!, (string?)u["id"]) is { } error)
        {
            return error;
        }

        var patch = (JsonObject)body.DeepClone();
        foreach (var readOnly in new[] { "id", "assignedLicenses", "licenseAssignmentStates", "createdDateTime", "passwordProfile" })
        {
            patch.Remove(readOnly);
        }

        if (patch["usageLocation"] is JsonValue ul && ((string?)ul)?.Length is not 2)
        {
            return PropertyError("usageLocation", "Invalid value specified for property 'usageLocation' of resource 'User'.");
        }
        UserModel.Merge(u, patch);
        return GraphResponse.NoContent();
    }

    private GraphResponse DeleteUser(GraphRequest r, string id)
    {
        var u = r.Tenant.FindUser(id);
        if (u is null)
        {
            return GraphResponse.NotFound(id);
        }

        r.Tenant.Users.Remove(u);
        r.Tenant.TemporaryAccessPasses.Remove((string)u["id"]!);
        foreach (var g in r.Tenant.Groups)
        {
            g.MemberIds.RemoveAll(m => m == (string?)u["id"]);
        }

        return GraphResponse.NoContent();
    }

    private GraphResponse MemberOf(GraphRequest r, string id)
    {
        var u = r.Tenant.FindUser(id);
        if (u is null)
        {
            return GraphResponse.NotFound(id);
        }

        var uid = (string)u["id"]!;
        var groups = r.Tenant.Groups.Where(g => g.MemberIds.Contains(uid)).Select(g => g.Properties).ToList();
        return Page(r, Filter(r, groups), "directoryObjects",
            g => UserModel.Project(g, r.QueryValue("$select"), GroupDefaults, "#microsoft.graph.group"));
    }

    private GraphResponse ListGroups(GraphRequest r) =>
        Page(r, Filter(r, r.Tenant.Groups.Select(g => g.Properties)), "groups",
            g => UserModel.Project(g, r.QueryValue("$select"), GroupDefaults));

    private GraphResponse GetGroup(GraphRequest r, string id)
    {
        var g = r.Tenant.FindGroup(id);
        return g is null ? GraphResponse.NotFound(id) : GraphResponse.Ok(WithContext(r, "groups/$entity",
            UserModel.Project(g.Properties, r.QueryValue("$select"), GroupDefaults)));
    }

    private GraphResponse GroupMembers(GraphRequest r, string id)
    {
        var g = r.Tenant.FindGroup(id);
        if (g is null)
        {
            return GraphResponse.NotFound(id);
        }

        var members = g.MemberIds.Select(m => r.Tenant.FindUser(m)).OfType<JsonObject>().ToList();
        return Page(r, Filter(r, members), "directoryObjects",
            u => UserModel.Project(u, r.QueryValue("$select"), UserModel.DefaultProperties, "#microsoft.graph.user"));
    }
}
