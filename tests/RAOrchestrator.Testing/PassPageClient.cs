using System.Net;
using System.Text.RegularExpressions;

namespace RAOrchestrator.Testing;

/// <summary>
/// The pass page as a browser without JavaScript drives it: its own cookies, the form token read from the page, the
/// link's secret posted as the page's script would post it (from the part of the link after '#').
/// </summary>
public sealed partial class PassPageClient : IDisposable
{
    private readonly HttpClient _http;
    private string _csrf = string.Empty;

    public PassPageClient(Uri webBase)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = webBase };
    }

    public CookieContainer Cookies { get; }

    /// <summary>The secret of a mailed link: what follows its '#'.</summary>
    public static string SecretOf(string link) => link[(link.IndexOf('#') + 1)..];

    /// <summary>Opens the page (as following the link does: the fragment never reaches the server) and keeps its form token.</summary>
    public async Task<HttpResponseMessage> OpenAsync()
    {
        var response = await _http.GetAsync("/sign-in-pass");
        _csrf = CsrfPattern().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
        return response;
    }

    /// <summary>"Send me a confirmation code" for <paramref name="secret"/>; null posts no link ("send a new code").</summary>
    public Task<HttpResponseMessage> AskCodeAsync(string? secret, string? csrf = null) =>
        PostAsync("/sign-in-pass/code", secret is null ? [("csrf", csrf ?? _csrf)] : [("csrf", csrf ?? _csrf), ("link", secret)]);

    public Task<HttpResponseMessage> ConfirmAsync(string code, string? csrf = null) =>
        PostAsync("/sign-in-pass/confirm", [("csrf", csrf ?? _csrf), ("code", code)]);

    /// <summary>The pass the page shows, or null when it shows none.</summary>
    public static string? PassIn(string html) => PassPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    private Task<HttpResponseMessage> PostAsync(string path, (string Name, string Value)[] fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();

    [GeneratedRegex("<code id=\"pass\"[^>]*>([^<]+)</code>")]
    private static partial Regex PassPattern();
}
