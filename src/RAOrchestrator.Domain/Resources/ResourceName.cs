using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Domain.Resources;

/// <summary>Parses and formats the API's resource names; the same strings are the grains' keys.</summary>
public static class ResourceName
{
    public const string TenantsCollection = "tenants";
    public const string OperationsCollection = "operations";
    public const string PartnersCollection = "partners";

    public static string Tenant(string tenantId) => $"{TenantsCollection}/{tenantId}";

    public static string Operation(string operationId) => $"{OperationsCollection}/{operationId}";

    public static string Partner(string partnerId) => $"{PartnersCollection}/{partnerId}";

    /// <summary>The key index of a tenant's session ids (the grain key, not an API name).</summary>
    public static string SessionIndex(string tenantId) => $"{Tenant(tenantId)}/sessionIndex";

    /// <summary>
    /// The key index of the open sessions (their ids) that a user of a tenant organizes or admits for: the lobby
    /// console's "my sessions" (the grain key, not an API name). Entra object ids compare without case, so the key is lower-case.
    /// </summary>
    public static string AdmitterSessionIndex(string tenantId, string userId) => $"{Tenant(tenantId)}/admitters/{userId.ToLowerInvariant()}/sessionIndex";

    /// <summary>The tenant id of a resource name under <c>tenants/{tenant}</c>, or null for any other name.</summary>
    public static string? TenantOf(string name)
    {
        if (!name.StartsWith(TenantsCollection + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = name.AsSpan(TenantsCollection.Length + 1);
        var slash = rest.IndexOf('/');
        return (slash < 0 ? rest : rest[..slash]).ToString() is { Length: > 0 } id ? id : null;
    }

    /// <summary>Reads tenants/{guid}; adds a violation naming <paramref name="field"/> when it is not one.</summary>
    public static string ParseTenant(string? name, Violations violations, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            violations.Add(field, "is required, as tenants/{tenant-id}");
            return string.Empty;
        }

        var prefix = TenantsCollection + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !TenantId.TryNormalize(name[prefix.Length..], out var tenantId))
        {
            violations.Add(field, "must be tenants/{tenant-id} where tenant-id is the Entra tenant GUID");
            return string.Empty;
        }

        return tenantId;
    }

    /// <summary>What <see cref="IsValidChildId"/> accepts, in words for a field violation.</summary>
    public const string ChildIdRule = "1 to 64 letters, digits, '-', '_' or '.', not starting with '.'";

    /// <summary>
    /// Child resource ids: 1 to 64 letters, digits, '-', '_' or '.', not starting with '.': so never "." or "..", which
    /// read as paths (tenants/T/segments/..) in every client that resolves a name like a URL.
    /// </summary>
    public static bool IsValidChildId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Reads tenants/{guid}/{collection}/{id}; adds a violation naming <paramref name="field"/> when it is not one.</summary>
    public static (string TenantId, string Id) ParseTenantChild(string? name, string collection, Violations violations, string field = "name")
    {
        var parts = (name ?? string.Empty).Split('/');
        if (parts.Length != 4 || parts[0] != TenantsCollection || parts[2] != collection || !TenantId.TryNormalize(parts[1], out var tenantId) || !IsValidChildId(parts[3]))
        {
            violations.Add(field, $"must be tenants/{{tenant-id}}/{collection}/{{id}}, the id {ChildIdRule}");
            return (string.Empty, string.Empty);
        }

        return (tenantId, parts[3]);
    }

    /// <summary>
    /// A reference to another child of the same tenant, as its name tenants/{tenant}/{collection}/{id} (a name under
    /// another tenant is refused) or as its bare id; returns the id, or empty with a violation naming <paramref name="field"/>.
    /// </summary>
    /// <param name="tenantId">The tenant of the request; empty when its own name was invalid (already reported).</param>
    public static string ParseChildReference(string? value, string tenantId, string collection, Violations violations, string field)
    {
        var parts = (value ?? string.Empty).Split('/');
        var id = parts.Length == 1 ? parts[0]
            : parts.Length == 4 && parts[0] == TenantsCollection && parts[2] == collection && TenantId.TryNormalize(parts[1], out var owner) && (tenantId.Length == 0 || owner == tenantId) ? parts[3]
            : null;
        if (!IsValidChildId(id))
        {
            violations.Add(field, $"must be tenants/{{tenant-id}}/{collection}/{{id}} of this tenant, or just the id; the id {ChildIdRule}");
            return string.Empty;
        }

        return id!;
    }

    /// <summary>Reads operations/{id}; ids are GUIDs in "N" format.</summary>
    public static string ParseOperation(string? name, Violations violations, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            violations.Add(field, "is required, as operations/{operation-id}");
            return string.Empty;
        }

        var prefix = OperationsCollection + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !Guid.TryParseExact(name[prefix.Length..], "N", out var id) || id.ToString("N") != name[prefix.Length..])
        {
            violations.Add(field, "must be operations/{operation-id} as returned by this service");
            return string.Empty;
        }

        return name[prefix.Length..];
    }
}
