using System.Security.Cryptography;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Directory;

/// <summary>Graph's user model to the domain's and back, and OData error bodies read from raw responses (inside a $batch).</summary>
internal static class GraphMapping
{
    /// <summary>What to $select when a create met an existing UPN: the user, and when it was made (ours, or someone else's).</summary>
    public static readonly string[] SelectWithCreated = [.. UserAttributes.Select, "createdDateTime"];

    public static User ToGraph(NewDirectoryUser user)
    {
        var graphUser = new User
        {
            AccountEnabled = true,
            DisplayName = user.DisplayName,
            MailNickname = user.MailNickname,
            UserPrincipalName = user.UserPrincipalName,
            UsageLocation = user.UsageLocation,
            UserType = "Member",
            PasswordProfile = new PasswordProfile { ForceChangePasswordNextSignIn = true, Password = RandomPassword() },
        };
        UserAttributes.Apply(graphUser, user.Attributes);
        return graphUser;
    }

    public static DirectoryUser ToDomain(User user) => new(
        user.Id ?? string.Empty,
        user.UserPrincipalName ?? string.Empty,
        user.DisplayName ?? string.Empty,
        user.AccountEnabled ?? true,
        user.UserType ?? "Member",
        user.UsageLocation,
        (user.AssignedLicenses ?? []).Where(l => l.SkuId is not null).Select(l => l.SkuId!.Value).ToArray(),
        UserAttributes.Read(user))
    {
        CreatedAt = user.CreatedDateTime,
    };

    public static async Task<ODataError> ReadErrorAsync(HttpResponseMessage? response, int status)
    {
        var error = new ODataError { ResponseStatusCode = status, Error = new MainError { Code = status.ToString(System.Globalization.CultureInfo.InvariantCulture), Message = string.Empty } };
        if (response?.Content is null)
        {
            return error;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (json.RootElement.TryGetProperty("error", out var body))
            {
                error.Error.Code = body.TryGetProperty("code", out var code) ? code.GetString() : error.Error.Code;
                error.Error.Message = body.TryGetProperty("message", out var message) ? message.GetString() : string.Empty;
                if (body.TryGetProperty("details", out var details) && details.ValueKind == System.Text.Json.JsonValueKind.Array)
                {
                    error.Error.Details = details.EnumerateArray()
                        .Select(d => new ErrorDetails { Code = d.TryGetProperty("code", out var c) ? c.GetString() : null, Message = d.TryGetProperty("message", out var m) ? m.GetString() : null })
                        .ToList();
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // An error without a readable body keeps its status.
        }

        return error;
    }

    /// <summary>A strong one-time password the service never stores; service accounts sign in through their vendor's process.</summary>
    private static string RandomPassword() => "Ra1!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}
