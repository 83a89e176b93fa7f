using Microsoft.Playwright;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>How the tests wait for the browser to arrive somewhere.</summary>
public static class Navigation
{
    /// <summary>
    /// Wait until the page is committed, not loaded: every wait for a URL is followed by an assertion on what the page
    /// shows, which waits itself, and a load event missed between two redirects cannot stall the test.
    /// </summary>
    public static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };
}
