using System.Security.Cryptography;
using Google.Protobuf;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Manifests;

/// <summary>The tenants of a manifest file, each with the line it came from.</summary>
public sealed record Manifest(string Path, IReadOnlyList<ManifestEntry> Entries, int? MaxParallelism)
{
    public StartBulkOnboardingRequest ToRequest(string? requestId, int? maxParallelism)
    {
        var request = new StartBulkOnboardingRequest { MaxParallelism = maxParallelism ?? MaxParallelism ?? 0 };
        request.Tenants.AddRange(Entries.Select(e => e.Tenant));
        request.RequestId = requestId ?? ContentRequestId(request);
        return request;
    }

    /// <summary>
    /// The service's message names a bulk item by index (<c>tenants[3].tenant_id</c>); people want the line of the file.
    /// </summary>
    public string DescribeField(string field)
    {
        var close = field.IndexOf(']', StringComparison.Ordinal);
        if (!field.StartsWith("tenants[", StringComparison.Ordinal) || close < 0)
        {
            return field;
        }

        if (!int.TryParse(field.AsSpan(8, close - 8), out var index) || index < 0 || index >= Entries.Count)
        {
            return field;
        }

        var rest = field[(close + 1)..].TrimStart('.');
        rest = rest.StartsWith("tenant.", StringComparison.Ordinal) ? rest["tenant.".Length..] : rest;
        return $"{System.IO.Path.GetFileName(Path)} line {Entries[index].Line}{(rest.Length > 0 ? " " + rest : string.Empty)}";
    }

    /// <summary>
    /// The same manifest gives the same request id, so running it again (after Ctrl+C, a lost connection) resumes the
    /// bulk operation the first run started instead of starting another.
    /// </summary>
    private static string ContentRequestId(StartBulkOnboardingRequest request) =>
        "raorch-" + Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray()))[..40];
}

/// <summary>One tenant of a manifest.</summary>
public sealed record ManifestEntry(int Line, BulkTenant Tenant);
