using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>
/// A user name and password typed at a sign-in page, checked against a directory, with Entra's refusals. The password is
/// the emulator's sign-in password, or the user's usable Temporary Access Pass (spent by the sign-in when it is one-time).
/// </summary>
public static class UserCredentials
{
    /// <summary>The user; or null and the AADSTS code and text to show on the page again.</summary>
    public static (JsonObject? User, (int Code, string Text)? Refusal) Check(EmulatorState state, TenantState directory, string username,
        string? password, GraphEmulatorOptions options)
    {
        JsonObject? user;
        bool enabled;
        lock (state.Sync)
        {
            user = directory.Users.FirstOrDefault(u => string.Equals((string?)u["userPrincipalName"], username, StringComparison.OrdinalIgnoreCase));
            enabled = user?["accountEnabled"]?.GetValue<bool>() ?? true;
        }

        if (user is null)
        {
            return (null, (50034, $"The user account {username} does not exist in the '{directory.Id}' directory. To sign into this application, the account must be added to the directory."));
        }

        if (!PasswordMatches(password, options.SignInPassword) && !SpendPass(state, directory, user, password, enabled))
        {
            return (null, (50126, "Your account or password is incorrect. If you don't remember your password, reset it now."));
        }

        return enabled
            ? (user, null)
            : (null, (50057, "Your account has been locked. Contact your support person to unlock it, then try again. (The user account is disabled.)"));
    }

    /// <summary>Whether <paramref name="given"/> is the user's Temporary Access Pass, usable now under an enabled policy; a one-time pass is spent when the account can sign in.</summary>
    private static bool SpendPass(EmulatorState state, TenantState directory, JsonObject user, string? given, bool enabled)
    {
        lock (state.Sync)
        {
            if (!directory.TemporaryAccessPassPolicy.Enabled ||
                !directory.TemporaryAccessPasses.TryGetValue((string)user["id"]!, out var method) ||
                !method.Matches(given) || !method.IsUsable(state.Time.GetUtcNow()))
            {
                return false;
            }

            if (method.IsUsableOnce && enabled)
            {
                method.Used = true;
            }

            return true;
        }
    }

    private static bool PasswordMatches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
