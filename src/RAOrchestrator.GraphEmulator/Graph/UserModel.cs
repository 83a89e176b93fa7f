using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>Users are kept as Graph JSON; these helpers give them Graph's defaults and projections.</summary>
public static class UserModel
{
    /// <summary>Properties Graph v1.0 returns for a user when no $select is given.</summary>
    public static readonly string[] DefaultProperties =
    [
        "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
        "preferredLanguage", "surname", "userPrincipalName", "id",
    ];

    public static readonly string[] RequiredOnCreate =
        ["accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"];

    /// <summary>Fills the fields Graph always has (id, userType, licences) and drops write-only ones.</summary>
    public static void Normalize(JsonObject user)
    {
        if (user["id"] is null)
        {
            user["id"] = Guid.NewGuid().ToString();
        }

        user["userType"] ??= "Member";
        user["accountEnabled"] ??= true;
        user["businessPhones"] ??= new JsonArray();
        user["assignedLicenses"] ??= new JsonArray();
        user["createdDateTime"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        if (user["licenseAssignmentStates"] is null)
        {
            var states = new JsonArray();
            foreach (var l in (JsonArray)user["assignedLicenses"]!)
            {
                states.Add(LicenseState((string)l!["skuId"]!, l["disabledPlans"]?.DeepClone() as JsonArray));
            }
            user["licenseAssignmentStates"] = states;
        }
        user.Remove("passwordProfile");
    }

    public static JsonObject LicenseState(string skuId, JsonArray? disabledPlans) => new()
    {
        ["assignedByGroup"] = null,
        ["disabledPlans"] = disabledPlans ?? new JsonArray(),
        ["error"] = "None",
        ["lastUpdatedDateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["skuId"] = skuId,
        ["state"] = "Active",
    };

    /// <summary>Applies $select (or the default set) to a stored object.</summary>
    public static JsonObject Project(JsonObject stored, string? select, IReadOnlyList<string> defaults, string? odataType = null)
    {
        var names = string.IsNullOrWhiteSpace(select)
            ? defaults
            : select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new JsonObject();
        if (odataType is not null)
        {
            result["@odata.type"] = odataType;
        }

        foreach (var name in names)
        {
            var hit = stored.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
            result[hit.Key ?? name] = hit.Value?.DeepClone();
        }
        return result;
    }

    /// <summary>Merges a PATCH body into a stored object: nested objects merge key by key.</summary>
    public static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject po && target[key] is JsonObject to)
            {
                Merge(to, po);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
