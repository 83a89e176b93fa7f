using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Server.Mapping;

/// <summary>Etags are the resource's version in quotes, e.g. "7"; callers treat them as opaque.</summary>
public static class Etag
{
    public static string Format(long version) => $"\"{version}\"";

    /// <summary>Null when no etag was sent; adds a violation when one was sent that this service never issued.</summary>
    public static long? Parse(string? etag, Violations violations, string field)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return null;
        }

        if (etag.Length > 2 && etag[0] == '"' && etag[^1] == '"' && long.TryParse(etag.AsSpan(1, etag.Length - 2), System.Globalization.NumberStyles.None, null, out var version))
        {
            return version;
        }

        violations.Add(field, "is not an etag this service issued; send back the etag of the resource you read");
        return null;
    }
}
