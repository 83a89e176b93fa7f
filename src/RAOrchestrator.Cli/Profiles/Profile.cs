using System.Text.Json.Serialization;

namespace RAOrchestrator.Cli.Profiles;

/// <summary>What <c>raorch login</c> remembers: where the API is, how to trust it, and the partner token.</summary>
public sealed record Profile(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("certificateSha256")] string? CertificateSha256);
