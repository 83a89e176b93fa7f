using System.Globalization;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>
/// The Temporary Access Pass policy and users' Temporary Access Pass methods (Graph v1.0): one method per user, a new one
/// replacing the old, the pass returned only by the create, its lifetime and one-time use bounded by the tenant's policy.
/// </summary>
public sealed partial class GraphApi
{
    private static readonly string[] TapWritePermissions = ["UserAuthMethod-TAP.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All"];
    private static readonly string[] TapReadPermissions = [.. TapWritePermissions, "UserAuthMethod-TAP.Read.All", "UserAuthenticationMethod.Read.All"];
    private static readonly string[] PolicyReadPermissions = ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"];

    private GraphResponse GetAuthenticationMethodConfiguration(GraphRequest r, string id)
    {
        if (Denied(r, PolicyReadPermissions) is { } denied)
        {
            return denied;
        }

        if (!string.Equals(id, "TemporaryAccessPass", StringComparison.OrdinalIgnoreCase))
        {
            return GraphResponse.Error(404, "itemNotFound", $"Authentication method configuration '{id}' was not found.");
        }

        var p = r.Tenant.TemporaryAccessPassPolicy;
        var targets = new JsonArray();
        foreach (var target in p.IncludeTargets)
        {
            targets.Add(new JsonObject { ["targetType"] = "group", ["id"] = target, ["isRegistrationRequired"] = false });
        }

        return GraphResponse.Ok(new JsonObject
        {
            ["@odata.context"] = Context(r, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity"),
            ["@odata.type"] = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
            ["id"] = "TemporaryAccessPass",
            ["state"] = p.Enabled ? "enabled" : "disabled",
            ["defaultLifetimeInMinutes"] = p.DefaultLifetimeInMinutes,
            ["defaultLength"] = p.DefaultLength,
            ["minimumLifetimeInMinutes"] = p.MinimumLifetimeInMinutes,
            ["maximumLifetimeInMinutes"] = p.MaximumLifetimeInMinutes,
            ["isUsableOnce"] = p.IsUsableOnce,
            ["excludeTargets"] = new JsonArray(),
            ["includeTargets"] = targets,
        });
    }

    private GraphResponse ListTemporaryAccessPasses(GraphRequest r, string userId)
    {
        if ((Denied(r, TapReadPermissions) ?? MissingUser(r, userId)) is { } refused)
        {
            return refused;
        }

        var user = (string)r.Tenant.FindUser(userId)!["id"]!;
        var value = new JsonArray();
        if (r.Tenant.TemporaryAccessPasses.TryGetValue(user, out var method))
        {
            value.Add(Represent(method, pass: null));
        }

        return GraphResponse.Ok(new JsonObject
        {
            ["@odata.context"] = Context(r, $"users('{user}')/authentication/temporaryAccessPassMethods"),
            ["value"] = value,
        });
    }

    private GraphResponse GetTemporaryAccessPass(GraphRequest r, string userId, string methodId)
    {
        if ((Denied(r, TapReadPermissions) ?? MissingUser(r, userId)) is { } refused)
        {
            return refused;
        }

        var user = (string)r.Tenant.FindUser(userId)!["id"]!;
        return FindMethod(r.Tenant, user, methodId) is { } method
            ? GraphResponse.Ok(WithContext(r, $"users('{user}')/authentication/temporaryAccessPassMethods/$entity", Represent(method, pass: null)))
            : MethodNotFound(methodId);
    }

    private GraphResponse DeleteTemporaryAccessPass(GraphRequest r, string userId, string methodId)
    {
        if ((Denied(r, TapWritePermissions) ?? MissingUser(r, userId)) is { } refused)
        {
            return refused;
        }

        var user = (string)r.Tenant.FindUser(userId)!["id"]!;
        if (FindMethod(r.Tenant, user, methodId) is null)
        {
            return MethodNotFound(methodId);
        }

        r.Tenant.TemporaryAccessPasses.Remove(user);
        return GraphResponse.NoContent();
    }

    private GraphResponse CreateTemporaryAccessPass(GraphRequest r, string userId)
    {
        if ((Denied(r, TapWritePermissions) ?? MissingUser(r, userId)) is { } refused)
        {
            return refused;
        }

        var tenant = r.Tenant;
        var user = (string)tenant.FindUser(userId)!["id"]!;
        var policy = tenant.TemporaryAccessPassPolicy;
        if (!policy.Enabled || !IsTargeted(tenant, policy, user))
        {
            return GraphResponse.Error(400, "badRequest", "The Temporary Access Pass authentication method is not enabled for this user by the tenant's authentication methods policy.");
        }

        var body = BodyObject(r) ?? [];
        var lifetime = body["lifetimeInMinutes"] is { } l ? l.GetValue<int>() : policy.DefaultLifetimeInMinutes;
        if (lifetime < policy.MinimumLifetimeInMinutes || lifetime > policy.MaximumLifetimeInMinutes)
        {
            return GraphResponse.Error(400, "badRequest",
                $"Invalid LifetimeInMinutes specified. The valid range between {policy.MinimumLifetimeInMinutes} and {policy.MaximumLifetimeInMinutes}.");
        }

        var usableOnce = body["isUsableOnce"] is { } once ? once.GetValue<bool>() : policy.IsUsableOnce;
        if (policy.IsUsableOnce && !usableOnce)
        {
            return GraphResponse.Error(400, "badRequest", "The Temporary Access Pass policy only allows one-time use passes; isUsableOnce must be true.");
        }

        var now = time.GetUtcNow();
        var start = body["startDateTime"] is { } s ? DateTimeOffset.Parse(s.GetValue<string>(), CultureInfo.InvariantCulture) : now;
        var pass = TemporaryAccessPassMethod.NewPass(Math.Clamp(policy.DefaultLength, 8, 48));
        var method = new TemporaryAccessPassMethod
        {
            Id = Guid.NewGuid().ToString(),
            PassHash = TemporaryAccessPassMethod.Hash(pass),
            CreatedAt = now,
            StartAt = start,
            LifetimeInMinutes = lifetime,
            IsUsableOnce = usableOnce,
        };
        tenant.TemporaryAccessPasses[user] = method; // one per user: a new pass replaces the old
        return GraphResponse.Created(WithContext(r, $"users('{user}')/authentication/temporaryAccessPassMethods/$entity", Represent(method, pass)));
    }

    private static bool IsTargeted(TenantState tenant, TemporaryAccessPassPolicyData policy, string userId) =>
        policy.IncludeTargets.Any(t => string.Equals(t, TemporaryAccessPassPolicyData.AllUsers, StringComparison.OrdinalIgnoreCase) ||
            tenant.FindGroup(t)?.MemberIds.Contains(userId, StringComparer.OrdinalIgnoreCase) == true);

    private static TemporaryAccessPassMethod? FindMethod(TenantState tenant, string userId, string methodId) =>
        tenant.TemporaryAccessPasses.TryGetValue(userId, out var m) && string.Equals(m.Id, methodId, StringComparison.OrdinalIgnoreCase) ? m : null;

    private static GraphResponse MethodNotFound(string methodId) =>
        GraphResponse.Error(404, "itemNotFound", $"Temporary Access Pass authentication method '{methodId}' was not found for the user.");

    private static GraphResponse? MissingUser(GraphRequest r, string userId) =>
        r.Tenant.FindUser(userId) is null ? GraphResponse.NotFound(userId) : null;

    /// <summary>403 as Graph's authentication-method resources answer it when the token has none of <paramref name="permissions"/>.</summary>
    private static GraphResponse? Denied(GraphRequest r, string[] permissions) =>
        r.Caller.HasAnyRole(permissions) ? null : GraphResponse.Error(403, "accessDenied", "Request Authorization failed");

    private static string Context(GraphRequest r, string context) => new Uri(r.BaseAddress, "v1.0/$metadata#" + context).ToString();

    private JsonObject Represent(TemporaryAccessPassMethod m, string? pass)
    {
        var now = time.GetUtcNow();
        return new JsonObject
        {
            ["id"] = m.Id,
            ["temporaryAccessPass"] = pass,
            ["createdDateTime"] = m.CreatedAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["startDateTime"] = m.StartAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["lifetimeInMinutes"] = m.LifetimeInMinutes,
            ["isUsableOnce"] = m.IsUsableOnce,
            ["isUsable"] = m.IsUsable(now),
            ["methodUsabilityReason"] = m.UsabilityReason(now),
        };
    }
}
