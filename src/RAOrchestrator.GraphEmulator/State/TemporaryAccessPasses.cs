using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>
/// A tenant's Temporary Access Pass policy (Graph's <c>temporaryAccessPassAuthenticationMethodConfiguration</c>). The
/// defaults are Entra's for a tenant nobody configured: disabled, for all users, 60 to 480 minutes, reusable, 8 characters.
/// </summary>
public sealed class TemporaryAccessPassPolicyData
{
    public const string AllUsers = "all_users";

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string State { get; set; } = "disabled";
    /// <summary>Group ids whose members may get a pass, or <c>all_users</c>.</summary>
    public List<string> IncludeTargets { get; set; } = [AllUsers];
    public int DefaultLifetimeInMinutes { get; set; } = 60;
    public int MinimumLifetimeInMinutes { get; set; } = 60;
    public int MaximumLifetimeInMinutes { get; set; } = 480;
    public bool IsUsableOnce { get; set; }
    public int DefaultLength { get; set; } = 8;

    public bool Enabled => string.Equals(State, "enabled", StringComparison.OrdinalIgnoreCase);

    public TemporaryAccessPassPolicyData Clone() => new()
    {
        State = State,
        IncludeTargets = [.. IncludeTargets],
        DefaultLifetimeInMinutes = DefaultLifetimeInMinutes,
        MinimumLifetimeInMinutes = MinimumLifetimeInMinutes,
        MaximumLifetimeInMinutes = MaximumLifetimeInMinutes,
        IsUsableOnce = IsUsableOnce,
        DefaultLength = DefaultLength,
    };
}

/// <summary>A user's Temporary Access Pass method. Graph keeps at most one per user; the pass is kept only as its hash.</summary>
public sealed class TemporaryAccessPassMethod
{
    public required string Id { get; init; }
    public required byte[] PassHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset StartAt { get; init; }
    public required int LifetimeInMinutes { get; init; }
    public required bool IsUsableOnce { get; init; }
    public bool Used { get; set; }

    public DateTimeOffset EndAt => StartAt.AddMinutes(LifetimeInMinutes);

    /// <summary>Graph's <c>methodUsabilityReason</c>: why the pass can or cannot sign in at <paramref name="now"/>.</summary>
    public string UsabilityReason(DateTimeOffset now) =>
        Used ? "OneTimeUsed" : now < StartAt ? "NotYetValid" : now >= EndAt ? "Expired" : "EnabledByPolicy";

    public bool IsUsable(DateTimeOffset now) => UsabilityReason(now) == "EnabledByPolicy";

    public bool Matches(string? pass) =>
        pass is not null && CryptographicOperations.FixedTimeEquals(Hash(pass), PassHash);

    public static byte[] Hash(string pass) => SHA256.HashData(Encoding.UTF8.GetBytes(pass));

    /// <summary>A new pass of <paramref name="length"/> characters: letters, digits and a few symbols, as Entra's are.</summary>
    public static string NewPass(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@#$%&*+=?", length);
}
