using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>What the guest's browser says about the device, read from its user agent.</summary>
public static class GuestClient
{
    /// <summary>A phone or tablet browser: the guest would open Teams mobile, which cannot join.</summary>
    public static bool IsPhone(string? userAgent) =>
        userAgent is not null && !IsHoloLens(userAgent)
        && (userAgent.Contains("Mobi", StringComparison.Ordinal) || userAgent.Contains("Android", StringComparison.Ordinal)
            || userAgent.Contains("iPhone", StringComparison.Ordinal) || userAgent.Contains("iPad", StringComparison.Ordinal));

    /// <summary>The client the guest will join with: Remote Assist on a HoloLens, Teams mobile on a phone, else Teams desktop.</summary>
    public static ClientKind Of(string? userAgent) =>
        IsHoloLens(userAgent) ? ClientKind.RemoteAssistHoloLens
        : IsPhone(userAgent) ? ClientKind.TeamsMobile
        : ClientKind.TeamsDesktop;

    private static bool IsHoloLens(string? userAgent) => userAgent?.Contains("HoloLens", StringComparison.OrdinalIgnoreCase) == true;
}
