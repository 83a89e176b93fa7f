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

    /// <summary>Child resource ids: 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidChildId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Reads tenants/{guid}/{collection}/{id}; adds a violation naming <paramref name="field"/> when it is not one.</summary>
    public static (string TenantId, string Id) ParseTenantChild(string? name, string collection, Violations violations, string field = "name")
    {
        var parts = (name ?? string.Empty).Split('/');
        if (parts.Length != 4 || parts[0] != TenantsCollection || parts[2] != collection || !TenantId.TryNormalize(parts[1], out var tenantId) || !IsValidChildId(parts[3]))
        {
            violations.Add(field, $"must be tenants/{{tenant-id}}/{collection}/{{id}}, the id 1 to 64 letters, digits, '-', '_' or '.'");
            return (string.Empty, string.Empty);
        }

        return (tenantId, parts[3]);
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
