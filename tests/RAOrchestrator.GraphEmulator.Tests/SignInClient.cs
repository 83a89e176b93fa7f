using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>
/// What a script or browser does to sign a user in at the emulator, over real HTTP without following redirects:
/// GET authorize, POST the sign-in form, read the redirect, redeem the code.
/// </summary>
public sealed partial class SignInClient(GraphEmulatorServer server) : IDisposable
{
    private readonly HttpClient _http = CreateClient(server);

    public HttpClient Http => _http;

    private static HttpClient CreateClient(GraphEmulatorServer server)
    {
        var handler = server.CreatePinnedHandler();
        handler.AllowAutoRedirect = false;
        return new HttpClient(handler) { BaseAddress = server.BaseAddress };
    }

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string tenant, string redirectUri, string? challenge, string state = "state-123", string? nonce = "nonce-456",
        string? prompt = null, string? loginHint = null, string method = "S256", string responseType = "code", string clientId = TestData.AppId,
        string? responseMode = null)
    {
        var q = HttpUtility.ParseQueryString("");
        q["client_id"] = clientId;
        q["response_type"] = responseType;
        q["redirect_uri"] = redirectUri;
        q["scope"] = "openid profile email";
        q["state"] = state;
        if (nonce is not null)
        {
            q["nonce"] = nonce;
        }

        if (challenge is not null)
        {
            q["code_challenge"] = challenge;
            q["code_challenge_method"] = method;
        }
        if (prompt is not null)
        {
            q["prompt"] = prompt;
        }

        if (loginHint is not null)
        {
            q["login_hint"] = loginHint;
        }

        if (responseMode is not null)
        {
            q["response_mode"] = responseMode;
        }

        return $"{tenant}/oauth2/v2.0/authorize?{q}";
    }

    /// <summary>GET authorize; the sign-in page's HTML and the pending request's id (null when the page has no form).</summary>
    public async Task<(HttpResponseMessage Response, string Html, string? RequestId)> AuthorizeAsync(string url)
    {
        var response = await _http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var match = RequestField().Match(html);
        return (response, html, match.Success ? HttpUtility.HtmlDecode(match.Groups[1].Value) : null);
    }

    public async Task<(HttpResponseMessage Response, string Html)> PostLoginAsync(string tenant, string requestId, string username, string password,
        bool consent = false, string action = "accept")
    {
        var fields = new Dictionary<string, string>
        {
            ["request"] = requestId,
            ["username"] = username,
            ["password"] = password,
            ["action"] = action,
        };
        if (consent)
        {
            fields["consent"] = "true";
        }

        var response = await _http.PostAsync($"{tenant}/login", new FormUrlEncodedContent(fields));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The whole front channel for one user: returns the redirect's query and the PKCE verifier.</summary>
    public async Task<(NameValueCollection Query, string Verifier)> SignInAsync(string tenant, string username, string redirectUri = SignInTests.RedirectUri,
        string? prompt = null, bool consent = false, string nonce = "nonce-456")
    {
        var (verifier, challenge) = NewPkce();
        var (page, _, requestId) = await AuthorizeAsync(AuthorizeUrl(tenant, redirectUri, challenge, nonce: nonce, prompt: prompt, loginHint: username));
        Assert.Equal(200, (int)page.StatusCode);
        var (posted, html) = await PostLoginAsync(tenant, requestId!, username, GraphEmulatorOptions.DefaultSignInPassword, consent);
        Assert.True(302 == (int)posted.StatusCode, html);
        return (QueryOf(posted), verifier);
    }

    public static NameValueCollection QueryOf(HttpResponseMessage redirect) =>
        HttpUtility.ParseQueryString(redirect.Headers.Location!.Query);

    public async Task<(HttpResponseMessage Response, JsonNode Body)> RedeemAsync(string tenant, string code, string verifier,
        string redirectUri = SignInTests.RedirectUri, string clientId = TestData.AppId, string clientSecret = TestData.AppSecret)
    {
        var response = await _http.PostAsync($"{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }));
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [GeneratedRegex("name=\"request\" value=\"([^\"]*)\"")]
    private static partial Regex RequestField();

    public void Dispose() => _http.Dispose();
}
