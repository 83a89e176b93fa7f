using System.Globalization;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// Why a pass link or a confirmation code did not work, each with a sentence for the expert that says what to do next.
/// The same reasons reach the API and the page. Pure.
/// </summary>
public static class PassHandoffRefusals
{
    public const string LinkNotValid = "PASS_LINK_NOT_VALID";
    public const string AlreadyShown = "PASS_ALREADY_SHOWN";
    public const string LinkExpired = "PASS_LINK_EXPIRED";
    public const string Replaced = "PASS_REPLACED";
    public const string Withdrawn = "PASS_WITHDRAWN";
    public const string CodeNotSent = "CONFIRMATION_CODE_NOT_SENT";
    public const string CodeWrong = "CONFIRMATION_CODE_WRONG";
    public const string CodeExpired = "CONFIRMATION_CODE_EXPIRED";
    public const string TooManyTries = "CONFIRMATION_TOO_MANY_TRIES";

    /// <summary>The issue needs a vendor contact to mail.</summary>
    public const string VendorContactMissing = "VENDOR_CONTACT_MISSING";

    /// <summary>The issue needs the tenant's sender mailbox.</summary>
    public const string MailSenderNotSet = "MAIL_SENDER_NOT_SET";

    /// <summary>Whether <paramref name="reason"/> is one of the handoff's own refusals, worded for the expert.</summary>
    public static bool IsHandoffRefusal(string reason) =>
        reason is LinkNotValid or AlreadyShown or LinkExpired or Replaced or Withdrawn or CodeNotSent or CodeWrong or CodeExpired or TooManyTries;

    private static string AskAgain(string tenantName) =>
        $"Ask your contact at {tenantName} (whoever gave you this account) to issue a new pass.";

    public static OrchestratorException NotValid() => new(ErrorKind.NotFound, LinkNotValid,
        "This link is not valid. Open the link from your mail exactly as it was sent; if it still does not work, ask your contact for a new pass.");

    public static OrchestratorException Shown(string tenantName, DateTimeOffset viewedAt) => new(ErrorKind.FailedPrecondition, AlreadyShown,
        $"This pass was already shown, on {When(viewedAt)}; it is shown only once. If you did not note it: {AskAgain(tenantName)}");

    public static OrchestratorException Expired(string tenantName, DateTimeOffset expiredAt) => new(ErrorKind.FailedPrecondition, LinkExpired,
        $"This pass expired on {When(expiredAt)} and can no longer sign in. {AskAgain(tenantName)}");

    public static OrchestratorException ReplacedByNewer() => new(ErrorKind.FailedPrecondition, Replaced,
        "A newer pass replaced this one, so this link no longer works. Use the link in the newest mail you received.");

    public static OrchestratorException WithdrawnAccount(string tenantName) => new(ErrorKind.FailedPrecondition, Withdrawn,
        $"This pass was withdrawn: the account it was for no longer exists. Contact {tenantName} if you still need access.");

    public static OrchestratorException NoCodeYet() => new(ErrorKind.FailedPrecondition, CodeNotSent,
        "No confirmation code was sent for this link yet. Open the link from your mail again and ask for a code.");

    public static OrchestratorException Wrong(int triesLeft) => new(ErrorKind.InvalidArgument, CodeWrong,
        triesLeft > 0
            ? $"That is not the code we sent. {triesLeft} {(triesLeft == 1 ? "try" : "tries")} left for this code."
            : "That is not the code we sent, and this code has no tries left: send yourself a new one.",
        [new FieldViolation("code", "must be the six-digit code from the confirmation mail")]);

    public static OrchestratorException CodeTimedOut() => new(ErrorKind.FailedPrecondition, CodeExpired,
        "This code has expired. Send yourself a new one from this page.");

    public static OrchestratorException Exhausted(string tenantName) => new(ErrorKind.ResourceExhausted, TooManyTries,
        $"Too many codes were asked for or mistyped for this link, so it is locked. {AskAgain(tenantName)}");

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
