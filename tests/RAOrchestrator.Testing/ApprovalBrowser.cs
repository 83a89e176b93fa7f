using System.Net;
using System.Text.RegularExpressions;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Testing;

/// <summary>What a browser ended on after an approval: the last page's status and HTML.</summary>
public sealed record ApprovalOutcome(HttpStatusCode Status, string Body);

/// <summary>
/// A browser for the tenant approval flow, over plain HTTP: cookies kept, redirects followed one by one, the
/// emulator's certificate trusted. It fills the emulator's sign-in form as a person would; tests use its single steps
/// to try what an attacker would.
/// </summary>
public sealed partial class ApprovalBrowser : IDisposable
{
    private readonly HttpClient _http;

    public ApprovalBrowser(GraphEmulatorServer emulator)
    {
        Cookies = new CookieContainer();
        var handler = emulator.CreatePinnedHandler();
        handler.CookieContainer = Cookies;
        handler.UseCookies = true;
        handler.AllowAutoRedirect = false;
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; }

    /// <summary>The whole flow: open the link, choose, sign in (consenting for the organization when asked to), come back.</summary>
    public async Task<ApprovalOutcome> DecideAsync(string approvalUri, string username, bool approve = true, string? password = null, bool consent = false)
    {
        var (redirect, answer) = await PostChoiceAsync(approvalUri, approve, withCsrf: true);
        if (redirect is not { } authorize)
        {
            // A page asking to try again (503) is an outcome a person acts on, and so is the page saying the request was
            // decided already (by an earlier attempt whose answer was a 503); anything else is a failed test.
            return answer.Status == HttpStatusCode.ServiceUnavailable || answer.Body.Contains("Request already decided", StringComparison.Ordinal)
                ? answer
                : throw new InvalidOperationException($"The approval page did not send the browser to sign in: {(int)answer.Status} {answer.Body}");
        }

        var callback = await SignInAsync(authorize, username, password ?? TestEmulator.SignInPassword, consent);
        return await OpenAsync(callback);
    }

    /// <summary>Opens the approval page and posts the choice; returns where the service sends the browser (the sign-in), or null.</summary>
    public async Task<string?> ChooseAsync(string approvalUri, bool approve, bool withCsrf = true) =>
        (await PostChoiceAsync(approvalUri, approve, withCsrf)).Redirect;

    private async Task<(string? Redirect, ApprovalOutcome Answer)> PostChoiceAsync(string approvalUri, bool approve, bool withCsrf)
    {
        var page = await _http.GetAsync(approvalUri);
        var html = await page.Content.ReadAsStringAsync();
        if (page.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return (null, new ApprovalOutcome(page.StatusCode, html));
        }

        page.EnsureSuccessStatusCode();
        var hidden = HiddenFields(html);
        if (!hidden.ContainsKey("csrf"))
        {
            return (null, new ApprovalOutcome(page.StatusCode, html)); // no form to post: the request is decided
        }

        var fields = new Dictionary<string, string> { ["decision"] = approve ? "approve" : "decline" };
        if (withCsrf)
        {
            fields["csrf"] = hidden["csrf"];
        }

        using var post = await _http.PostAsync(approvalUri, new FormUrlEncodedContent(fields));
        var answer = new ApprovalOutcome(post.StatusCode, await post.Content.ReadAsStringAsync());
        return (post.StatusCode == HttpStatusCode.Redirect ? Location(post, approvalUri) : null, answer);
    }

    /// <summary>Signs in on the emulator's page that <paramref name="authorizeUrl"/> shows; returns the redirect back to the service.</summary>
    public async Task<string> SignInAsync(string authorizeUrl, string username, string password, bool consent = true)
    {
        using var page = await _http.GetAsync(authorizeUrl);
        var html = await page.Content.ReadAsStringAsync();
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The sign-in page answered {(int)page.StatusCode}: {html}");
        }

        var fields = HiddenFields(html);
        fields["username"] = username;
        fields["password"] = password;
        fields["action"] = "accept";
        if (consent)
        {
            fields["consent"] = "true";
        }

        var action = FormAction().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : authorizeUrl;
        using var post = await _http.PostAsync(new Uri(new Uri(authorizeUrl), action), new FormUrlEncodedContent(fields));
        var body = await post.Content.ReadAsStringAsync();
        return post.StatusCode == HttpStatusCode.Redirect
            ? Location(post, authorizeUrl)
            : throw new InvalidOperationException($"Signing in as {username} did not redirect ({(int)post.StatusCode}): {body}");
    }

    /// <summary>Opens a URL as the browser would (its cookies sent); no redirect is followed.</summary>
    public async Task<ApprovalOutcome> OpenAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        return new ApprovalOutcome(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form as a page would, without having loaded it first.</summary>
    public async Task<ApprovalOutcome> PostAsync(string url, IDictionary<string, string> fields)
    {
        using var response = await _http.PostAsync(url, new FormUrlEncodedContent(fields));
        return new ApprovalOutcome(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    private static string Location(HttpResponseMessage response, string from) =>
        new Uri(new Uri(from), response.Headers.Location!).ToString();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    public void Dispose() => _http.Dispose();
}
