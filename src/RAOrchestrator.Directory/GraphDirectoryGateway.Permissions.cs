using System.Buffers.Text;
using System.Text.Json;
using Azure.Core;

namespace RAOrchestrator.Directory;

/// <summary>
/// The app's granted application permissions, as Entra states them in the <c>roles</c> claim of the app's Graph token
/// (the token is only read, never logged; a grant shows once the next token is issued, within its lifetime).
/// </summary>
public sealed partial class GraphDirectoryGateway
{
    public Task<IReadOnlyList<string>> GetAppPermissionsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<string>>(tenantId, "get_app_permissions", async () =>
        {
            var token = await clients.Credential(tenantId).GetTokenAsync(new TokenRequestContext([TenantGraphClients.GraphScope]), cancellationToken);
            return Roles(token.Token);
        });

    private static IReadOnlyList<string> Roles(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2)
        {
            return [];
        }

        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        return payload.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? [.. roles.EnumerateArray().Select(r => r.GetString()).OfType<string>()]
            : [];
    }
}
