using Microsoft.Playwright;
using RAOrchestrator.Web.Tests.Infrastructure;

namespace RAOrchestrator.Web.Tests.Approval;

/// <summary>What the approval pages let a browser do beyond showing them: the headers they carry, the cookies they set, and where they reach.</summary>
[Collection(WebCollection.Name)]
public sealed class ApprovalPageSecurityTests(WebFixture fixture)
{
    [Fact]
    public async Task Every_page_of_the_flow_carries_the_servers_security_headers_and_the_browser_reports_no_violation()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();
        var emulatorOrigin = fixture.Emulator.BaseAddress.GetLeftPart(UriPartial.Authority);

        await flow.DecideAsync(browser.Page, flow.Admin);
        await browser.Page.GotoAsync(flow.ApprovalUri[..^4] + "0000");

        var hostPages = browser.Documents.Where(d => d.Url.StartsWith(fixture.Host.WebUrl.ToString(), StringComparison.Ordinal) && d.Status != 302).ToList();
        Assert.Equal(3, hostPages.Count); // the request, the outcome, the unknown link
        foreach (var document in hostPages)
        {
            var headers = await document.AllHeadersAsync();
            var formTargets = document.Url == flow.ApprovalUri ? "'self' " + emulatorOrigin : "'self'";
            Assert.Equal($"default-src 'none'; style-src 'self'; img-src 'self'; form-action {formTargets}; frame-ancestors 'none'; base-uri 'none'",
                headers["content-security-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("DENY", headers["x-frame-options"]);
            Assert.Equal("no-referrer", headers["referrer-policy"]);
            Assert.Equal("no-store", headers["cache-control"]);
            Assert.Equal("camera=(), microphone=(), geolocation=(), payment=(), usb=()", headers["permissions-policy"]);
            Assert.Equal("same-origin", headers["cross-origin-opener-policy"]);
            Assert.Equal("same-origin", headers["cross-origin-resource-policy"]);
            Assert.False(headers.ContainsKey("strict-transport-security")); // plain HTTP on loopback: HSTS only over HTTPS
            Assert.StartsWith("text/html", headers["content-type"]);
        }

        // The stylesheet applied under that policy, and nothing was blocked (the only error is the unknown link's 404).
        Assert.Equal("0px", await browser.Page.EvalOnSelectorAsync<string>("body", "b => getComputedStyle(b).marginTop"));
        Assert.All(browser.ConsoleErrors, e => Assert.StartsWith("Failed to load resource: the server responded with a status of 404", e));
    }

    [Fact]
    public async Task The_pages_cookies_are_http_only_and_same_site_and_scoped_to_the_approval_pages()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.ChooseAsync(browser.Page, approve: true);

        var cookies = (await browser.Context.CookiesAsync()).ToDictionary(c => c.Name);
        Assert.Equal(["raorch-approval", "raorch-approval-csrf"], cookies.Keys.Order());
        Assert.All(cookies.Values, c => Assert.True(c.HttpOnly && c.Path == "/tenant-approval" && c.Domain == "127.0.0.1", c.Name));
        Assert.Equal(SameSiteAttribute.Strict, cookies["raorch-approval-csrf"].SameSite);
        Assert.Equal(SameSiteAttribute.Lax, cookies["raorch-approval"].SameSite);
    }

    [Fact]
    public async Task The_pages_load_nothing_from_a_third_party_every_request_goes_to_the_host_or_the_sign_in_authority()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.DecideAsync(browser.Page, flow.Admin);

        var allowed = new[] { fixture.Host.WebUrl.GetLeftPart(UriPartial.Authority), fixture.Emulator.BaseAddress.GetLeftPart(UriPartial.Authority) };
        var requests = browser.Requests;
        Assert.Contains(requests, r => r.AbsolutePath == "/assets/site.css");
        Assert.Contains(requests, r => r.GetLeftPart(UriPartial.Authority) == allowed[1]); // the sign-in page
        Assert.All(requests, r => Assert.Contains(r.GetLeftPart(UriPartial.Authority), allowed));
    }
}
