using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>How the tests wait for the browser to arrive somewhere.</summary>
public static class Navigation
{
    /// <summary>
    /// Waits until the page's URL starts with <paramref name="prefix"/>. It polls the URL, as a web-first assertion does,
    /// and waits for no load event: Playwright's <c>WaitForURLAsync</c> waits for one when the URL matches already, and
    /// a load event missed between two redirects stalled it. What the page shows is asserted next, and that waits itself.
    /// </summary>
    public static Task ArrivesAtAsync(IPage page, string prefix) => ArrivesAtAsync(page, new Regex("^" + Regex.Escape(prefix)));

    /// <summary>Waits until the page's URL matches <paramref name="url"/>, as <see cref="ArrivesAtAsync(IPage, string)"/> does.</summary>
    public static Task ArrivesAtAsync(IPage page, Regex url) => Expect(page).ToHaveURLAsync(url);
}
