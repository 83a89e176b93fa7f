using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.Testing;

/// <summary>
/// Tenants in the emulator where sign-in passes can be mailed (the pass policy enabled, the MSP app granted Mail.Send,
/// a sender mailbox), and the mails the emulator captured: the link mail and the code mail, with what they carry.
/// </summary>
public static partial class PassMailTenants
{
    /// <summary>The emulator's default grants plus Mail.Send.</summary>
    public static readonly IReadOnlyList<string> MailGrants = [.. TokenIssuer.GraphRoles, "Mail.Send"];

    /// <summary>Enabled for all users, 60 to 480 minutes (60 by default), reusable.</summary>
    public static JsonObject EnabledPolicy() => new()
    {
        ["state"] = "enabled",
        ["includeTargets"] = new JsonArray("all_users"),
        ["defaultLifetimeInMinutes"] = 60,
        ["minimumLifetimeInMinutes"] = 60,
        ["maximumLifetimeInMinutes"] = 480,
        ["isUsableOnce"] = false,
        ["defaultLength"] = 12,
    };

    /// <summary>The sender mailbox <see cref="AddAsync"/> creates.</summary>
    public static string Sender(string tenantId) => $"remote-assist@{TestEmulator.DefaultDomain(tenantId)}";

    /// <summary>A tenant ready to mail passes, with <paramref name="grants"/> (default: <see cref="MailGrants"/>); returns its id.</summary>
    public static async Task<string> AddAsync(GraphEmulatorServer emulator, IReadOnlyList<string>? grants = null)
    {
        var tenantId = Guid.NewGuid().ToString("D");
        await TestEmulator.AddTenantAsync(emulator, tenantId, passPolicy: EnabledPolicy(), appPermissions: grants ?? MailGrants);
        await TestEmulator.AddUserAsync(emulator, tenantId, "remote-assist", "Remote Assist Access", licensed: false);
        return tenantId;
    }

    /// <summary>The messages the tenant's mailboxes sent to <paramref name="address"/>, oldest first.</summary>
    public static IReadOnlyList<SentMail> MailsTo(GraphEmulatorServer emulator, string tenantId, string address)
    {
        lock (emulator.State.Sync)
        {
            return emulator.State.Tenants[tenantId].Mail.List(address);
        }
    }

    /// <summary>The one-time link of the newest link mail to <paramref name="address"/>.</summary>
    public static string LatestLink(GraphEmulatorServer emulator, string tenantId, string address) =>
        LinkIn(MailsTo(emulator, tenantId, address).Last(m => LinkPattern().IsMatch(m.Content)));

    /// <summary>The code of the newest code mail to <paramref name="address"/>.</summary>
    public static string LatestCode(GraphEmulatorServer emulator, string tenantId, string address) =>
        CodePattern().Match(MailsTo(emulator, tenantId, address).Last(m => CodePattern().IsMatch(m.Content)).Content).Groups[1].Value;

    public static string LinkIn(SentMail mail) => LinkPattern().Match(mail.Content).Value;

    [GeneratedRegex("https?://[^\"<\\s]+/sign-in-pass#[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("<strong>([0-9]{6})</strong>")]
    private static partial Regex CodePattern();
}
