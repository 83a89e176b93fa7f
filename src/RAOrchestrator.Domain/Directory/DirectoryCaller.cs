namespace RAOrchestrator.Domain.Directory;

/// <summary>
/// Which partner the directory work of this call is done for, carried in the Orleans request context from the API
/// (or from the grain running a partner's workflow) through the grains into the Graph gateway, so the app-wide Graph
/// budget can be shared fairly between partners. Work with no partner named shares as one partner of its own.
/// </summary>
public static class DirectoryCaller
{
    private const string Key = "raorch.partner";

    /// <summary>Names the partner for the calls made from here on in this flow.</summary>
    public static void Set(string partnerId)
    {
        if (partnerId.Length > 0 && !string.Equals(RequestContext.Get(Key) as string, partnerId, StringComparison.Ordinal))
        {
            RequestContext.Set(Key, partnerId);
        }
    }

    /// <summary>The partner named for the current call, or empty.</summary>
    public static string Current() => RequestContext.Get(Key) as string ?? string.Empty;
}
