using System.Globalization;
using RAOrchestrator.Abstractions.ServiceAccounts;

namespace RAOrchestrator.Server.Web.Passes;

/// <summary>What the vendor's expert reads on the pass page: asking for a code, typing it, and the pass with how to use it.</summary>
public static class PassPages
{
    public const string MySecurityInfo = "https://mysignins.microsoft.com/security-info";

    public static string Ask(string csrf) => $"""
        <h1>Your sign-in pass</h1>
        <p>This page shows, once, the Temporary Access Pass for the Remote Assist account someone set up for you.</p>
        <form method="post" action="{WebLinks.PassPath}/code" id="ask-code" hidden>
          <input type="hidden" name="csrf" value="{Html.E(csrf)}">
          <input type="hidden" name="link" id="link" value="">
          <p>First we send a confirmation code to the address this link was mailed to.</p>
          <div class="actions"><button type="submit" class="primary">Send me a confirmation code</button></div>
        </form>
        <p id="no-link" class="error" role="alert" hidden>Open this page with the link from your mail, exactly as it was sent (including everything after the '#').</p>
        <noscript><p class="error" role="alert">This page needs JavaScript to read the link from your mail. Turn it on for this site, then open the link again.</p></noscript>
        <script src="/assets/pass.js"></script>
        """;

    public static string Confirm(string csrf, string maskedRecipient, string? error = null) => $"""
        <h1>Confirm it is you</h1>
        <p>We sent a six-digit code to {Html.E(maskedRecipient)}. It works for 10 minutes.</p>
        {(error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>")}
        <form method="post" action="{WebLinks.PassPath}/confirm">
          <input type="hidden" name="csrf" value="{Html.E(csrf)}">
          <label for="code">Confirmation code</label>
          <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required>
          <div class="actions"><button type="submit" class="primary">Show my pass</button></div>
        </form>
        <form method="post" action="{WebLinks.PassPath}/code">
          <input type="hidden" name="csrf" value="{Html.E(csrf)}">
          <div class="actions"><button type="submit" class="secondary">Send a new code</button></div>
        </form>
        """;

    public static string Shown(PassShown shown) => $"""
        <h1>Your sign-in pass</h1>
        <p>{Html.E(shown.TenantName)} set up this account for you to help its technicians with Dynamics 365 Remote Assist.</p>
        <dl>
          <dt>Account</dt><dd id="account">{Html.E(shown.UserPrincipalName)}</dd>
          <dt>Temporary Access Pass</dt><dd><code id="pass" class="secret">{Html.E(shown.Pass)}</code></dd>
          <dt>Works until</dt><dd id="expires">{When(shown.ExpiresAt)}</dd>
          <dt>Use</dt><dd>{(shown.UsableOnce ? "One sign-in only" : "Any number of sign-ins until it expires")}</dd>
        </dl>
        <p class="error" role="alert">Note the pass now: this page shows it only once. Opening the link again will not show it.</p>
        <h2>Sign in on HoloLens 2</h2>
        <ol>
          <li>On the sign-in screen (or in Settings, Accounts, Access work or school) sign in with a work or school account: enter {Html.E(shown.UserPrincipalName)}.</li>
          <li>When you are asked for a password, enter the Temporary Access Pass. If a password is all it offers, choose "Sign in another way", then "Temporary Access Pass".</li>
          <li>Set up Windows Hello (iris and a PIN) when HoloLens offers it: that is how you sign in after the pass expires.</li>
          <li>Open Dynamics 365 Remote Assist; it uses this account.</li>
        </ol>
        <h2>Sign in to the Remote Assist desktop app</h2>
        <ol>
          <li>Open Dynamics 365 Remote Assist on your Windows PC and choose to sign in with a work or school account.</li>
          <li>Enter {Html.E(shown.UserPrincipalName)}, then the Temporary Access Pass when you are asked for a password.</li>
        </ol>
        <h2>Before the pass expires: register a passwordless method</h2>
        <p>Go to <a href="{MySecurityInfo}">My Sign-Ins, Security info</a>, sign in with the account and the pass, and add
        Microsoft Authenticator (phone sign-in) or a security key. After the pass expires, that is how you sign in on a PC.</p>
        <p class="note">Lost the pass, or it expired before you used it? Ask your contact at {Html.E(shown.TenantName)} to issue a new one.</p>
        """;

    private static string When(DateTimeOffset at) => Html.E(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
}
