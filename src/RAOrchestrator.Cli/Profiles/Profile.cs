using System.Text.Json.Serialization;
using RAOrchestrator.Cli.Connection;

namespace RAOrchestrator.Cli.Profiles;

/// <summary>
/// What <c>raorch login</c> remembers: where the API is, how to trust it, and either a pasted partner token or the
/// person's sign-in (whose tokens live in the token cache, not here); and the names of the partner and roles claims.
/// </summary>
public sealed record Profile(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("certificateSha256")] string? CertificateSha256)
{
    [JsonPropertyName("signIn")]
    public UserSignIn? SignIn { get; init; }

    [JsonPropertyName("claims")]
    public ClaimNames? Claims { get; init; }
}
