using System.Net;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SignInPasses;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// What the pass page refuses a stranger: made-up or malformed links, posts without its form token, guessed codes,
/// floods of code mails, a visit cookie it did not make, and too many posts from one address.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SignInPassPageSecurityTests(ServerFixture fixture)
{
    private const string Contact = "erin@vendor.example";
    private readonly string _partner = TestIds.NewPartner();

    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task A_made_up_or_malformed_link_shows_nothing_and_mails_nothing()
    {
        using var page = new PassPageClient(fixture.Server.WebUrl);
        await page.OpenAsync();
        foreach (var secret in new[] { PassLink.New().Text, "short", new string('A', 43) + "<script>", string.Empty })
        {
            var refused = await page.AskCodeAsync(secret);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("This link is not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var confirm = await page.ConfirmAsync("123456");
        Assert.Equal(HttpStatusCode.Conflict, confirm.StatusCode);
        Assert.Contains("does not know your link", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_pages_form_token_is_refused_before_anything_is_mailed()
    {
        var (tenantId, _, secret) = await MailedLinkAsync();

        using var attacker = new PassPageClient(fixture.Server.WebUrl); // never opened the page: no token cookie
        var forged = await attacker.AskCodeAsync(secret, csrf: new string('a', 43));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using var visitor = new PassPageClient(fixture.Server.WebUrl);
        await visitor.OpenAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.AskCodeAsync(secret, csrf: new string('b', 43))).StatusCode);
        Assert.Single(PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact)); // the link mail only
    }

    [Fact]
    public async Task Codes_allow_three_tries_each_and_a_link_at_most_five_codes_then_it_is_locked()
    {
        var (tenantId, account, secret) = await MailedLinkAsync();
        using var page = new PassPageClient(fixture.Server.WebUrl);
        await page.OpenAsync();

        for (var code = 1; code <= 5; code++)
        {
            var asked = code == 1 ? await page.AskCodeAsync(secret) : await page.AskCodeAsync(null); // "send a new code" uses the visit cookie
            Assert.Equal(HttpStatusCode.SeeOther, asked.StatusCode);
            var sent = PassMailTenants.LatestCode(fixture.Emulator, tenantId, Contact);
            var wrong = sent == "000000" ? "000001" : "000000";
            foreach (var left in new[] { "2 tries left", "1 try left", "no tries left" })
            {
                Assert.Contains(left, await (await page.ConfirmAsync(wrong)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // Out of tries, even the right code does nothing.
            Assert.Null(PassPageClient.PassIn(await (await page.ConfirmAsync(sent)).Content.ReadAsStringAsync()));
        }

        var locked = await page.AskCodeAsync(null);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1 + 5, PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact).Count);
        Assert.Null((await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name })).ServiceAccount.SignInPasses[0].ViewTime);
    }

    [Fact]
    public async Task The_visit_cookie_is_strict_http_only_and_scoped_and_one_the_host_did_not_make_is_nothing()
    {
        var (tenantId, _, secret) = await MailedLinkAsync();
        using var page = new PassPageClient(fixture.Server.WebUrl);
        var opened = await page.OpenAsync();
        Assert.Contains("script-src 'self'", opened.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-store", opened.Headers.CacheControl?.ToString());

        var asked = await page.AskCodeAsync(secret);
        var cookie = asked.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("raorch-pass=", StringComparison.Ordinal));
        Assert.Contains("path=/sign-in-pass", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret, cookie, StringComparison.Ordinal);

        page.Cookies.Add(fixture.Server.WebUrl, new Cookie("raorch-pass", "CfDJ8" + new string('x', 200), "/sign-in-pass"));
        var forged = await page.ConfirmAsync(PassMailTenants.LatestCode(fixture.Emulator, tenantId, Contact));
        Assert.Equal(HttpStatusCode.Conflict, forged.StatusCode);
        Assert.Null(PassPageClient.PassIn(await forged.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task An_oversized_form_is_not_read_and_mails_nothing()
    {
        var (tenantId, _, secret) = await MailedLinkAsync();
        using var page = new PassPageClient(fixture.Server.WebUrl);
        await page.OpenAsync();

        var huge = await page.AskCodeAsync(secret + "&padding=" + new string('x', 64 * 1024));
        Assert.Equal(HttpStatusCode.Forbidden, huge.StatusCode);
        Assert.Single(PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact)); // the link mail only
        Assert.Equal(HttpStatusCode.SeeOther, (await page.AskCodeAsync(secret)).StatusCode); // the page still works
    }

    [Fact]
    public async Task Posts_to_the_pass_page_beyond_the_limit_per_address_are_answered_429()
    {
        var serviceId = "pass-limit-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId,
            new Dictionary<string, string?> { ["Web:PassPostsPerMinutePerAddress"] = "2" });
        using var page = new PassPageClient(host.WebUrl);
        await page.OpenAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await page.AskCodeAsync(PassLink.New().Text)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await page.OpenAsync()).StatusCode); // reading the page is not limited
    }

    /// <summary>A mailing tenant's account with a pass mailed to its vendor contact: the link's secret, as the mail carries it.</summary>
    private async Task<(string TenantId, ServiceAccount Account, string Secret)> MailedLinkAsync()
    {
        var (_, tenantId, account) = await MailingAccountAsync(fixture, _partner);
        await Accounts.IssueSignInPassAsync(Mail(account.Name));
        return (tenantId, account, PassPageClient.SecretOf(PassMailTenants.LatestLink(fixture.Emulator, tenantId, Contact)));
    }
}
