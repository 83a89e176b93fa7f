namespace RAOrchestrator.Server.Configuration;

/// <summary>The web endpoint that serves pages to people (the tenant approval page).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>
    /// Where the pages listen: http:// on loopback for local use (HTTP/1.1), https:// with CertificatePath otherwise.
    /// In production it usually sits behind an ingress that terminates TLS.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:5082";

    /// <summary>
    /// The address people's browsers reach the pages at (the ingress's https URL), used in the links the API returns and
    /// as the sign-in redirect URI registered on the MSP app. Empty: the same as Url.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>A PFX file with the TLS certificate, when Url is https://.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Join-page posts ("ask to join") accepted per client address per minute; more are answered 429.</summary>
    public int GateJoinsPerMinutePerAddress { get; set; } = 10;

    /// <summary>Join-page posts accepted per session per minute, whoever sends them; more are answered 429.</summary>
    public int GateJoinsPerMinutePerSession { get; set; } = 30;

    /// <summary>Pass-page posts (asking for a confirmation code, typing it) accepted per client address per minute; more are answered 429.</summary>
    public int PassPostsPerMinutePerAddress { get; set; } = 10;

    /// <summary>
    /// The lobby console's client id at the partner issuer (Auth:Authority): partners' staff sign in there with OpenID
    /// Connect, and the id token must name this client as its audience. Empty: partner staff cannot sign in to the console.
    /// </summary>
    public string? StaffClientId { get; set; }

    /// <summary>The lobby console's client secret at the partner issuer, when the issuer requires one to redeem a code.</summary>
    public string? StaffClientSecret { get; set; }

    /// <summary>The public base URL without a trailing slash.</summary>
    public string PublicBase => (string.IsNullOrWhiteSpace(PublicUrl) ? Url : PublicUrl).TrimEnd('/');
}
