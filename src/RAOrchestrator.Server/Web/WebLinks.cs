using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Web;

/// <summary>Absolute links to the host's pages, as people's browsers reach them.</summary>
public sealed class WebLinks(WebOptions web)
{
    public const string ApprovalPrefix = "/tenant-approval";
    public const string ApprovalCallbackPath = ApprovalPrefix + "/callback";
    public const string ConsolePrefix = "/console";
    public const string ConsoleCallbackPath = ConsolePrefix + "/callback";
    public const string StaffConsolePrefix = ConsolePrefix + "/staff";

    /// <summary>The guests' join page, where invitation links lead unless Sessions:GateUrl names the partner's own.</summary>
    public const string GatePath = "/join";

    /// <summary>The page a mailed sign-in pass's one-time link leads to (the link's secret follows its '#').</summary>
    public const string PassPath = "/sign-in-pass";

    /// <summary>The absolute URL of a page path such as <c>tenant-approval/{tenant}/{claim}</c>; empty for none.</summary>
    public string Absolute(string? path) => string.IsNullOrEmpty(path) ? string.Empty : $"{web.PublicBase}/{path.TrimStart('/')}";

    /// <summary>Where Entra sends the administrator back after signing in; registered on the MSP app.</summary>
    public string ApprovalRedirectUri => web.PublicBase + ApprovalCallbackPath;

    /// <summary>Where Entra sends an admitter back after signing in to the lobby console; registered on the MSP app.</summary>
    public string ConsoleRedirectUri => web.PublicBase + ConsoleCallbackPath;

    /// <summary>Where the partner issuer sends a partner's staff member back after signing in; registered on the console's staff app.</summary>
    public string StaffConsoleRedirectUri => web.PublicBase + StaffConsolePrefix + "/callback";

    public bool IsHttps => web.PublicBase.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
