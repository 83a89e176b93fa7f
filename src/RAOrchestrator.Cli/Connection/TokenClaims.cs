using System.Text;
using System.Text.Json;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// What a partner token says about itself (partner, roles, expiry), read without checking its signature: only to
/// tell the user who they are signed in as and when to sign in again. The service does the checking.
/// </summary>
public sealed record TokenClaims(string? Partner, IReadOnlyList<string> Roles, DateTimeOffset? Expires)
{
    /// <param name="names">The claims that carry the partner and the roles (as the service is configured).</param>
    public static TokenClaims? TryRead(string token, ClaimNames names)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var root = json.RootElement;
            var partner = root.TryGetProperty(names.Partner, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var roles = root.TryGetProperty(names.Roles, out var r)
                ? r.ValueKind switch
                {
                    JsonValueKind.Array => r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray(),
                    JsonValueKind.String => [r.GetString()!],
                    _ => [],
                }
                : [];
            DateTimeOffset? expires = root.TryGetProperty("exp", out var e) && e.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            return new TokenClaims(partner, roles, expires);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
