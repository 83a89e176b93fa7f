using System.Globalization;
using System.Text.Encodings.Web;
using RAOrchestrator.Domain.Mail;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// The two mails of a mailed pass: the first carries the one-time link (never the pass), the second the confirmation
/// code the link's page asks for. Pure.
/// </summary>
public static class PassMails
{
    public static MailMessage Link(string sender, string recipient, string tenantName, string userPrincipalName, string link, DateTimeOffset expiresAt) => new(
        sender, recipient, $"Your sign-in to {tenantName}'s Remote Assist",
        $"""
        <p>Hello,</p>
        <p>{E(tenantName)} set up an account for you to help its technicians with Dynamics 365 Remote Assist:
        <strong>{E(userPrincipalName)}</strong>.</p>
        <p>Your first sign-in uses a Temporary Access Pass. To see it, open this link (it works once, until {When(expiresAt)}):</p>
        <p><a href="{E(link)}">{E(link)}</a></p>
        <p>The page asks for a confirmation code, which we send to this address in a separate mail when you ask for it.</p>
        <p>If you did not expect this mail, ignore it: nothing happens unless someone opens the link and confirms the code.</p>
        """);

    public static MailMessage Code(string sender, string recipient, string tenantName, string code, DateTimeOffset expiresAt) => new(
        sender, recipient, $"Your confirmation code for {tenantName}'s Remote Assist",
        $"""
        <p>Your confirmation code is</p>
        <p style="font-size:1.6em;letter-spacing:.2em"><strong>{E(code)}</strong></p>
        <p>Type it on the page that asked for it, before {When(expiresAt)}.</p>
        <p>If you did not ask for a code, ignore this mail.</p>
        """);

    /// <summary>"ex***@vendor.example": enough for the expert to recognize the address, without spelling it out.</summary>
    public static string Mask(string address)
    {
        var at = address.IndexOf('@');
        return at <= 0 ? "***" : string.Concat(address.AsSpan(0, Math.Min(2, at)), "***", address.AsSpan(at));
    }

    private static string E(string value) => HtmlEncoder.Default.Encode(value);

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
