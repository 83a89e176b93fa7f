namespace RAOrchestrator.Directory;

/// <summary>How to reach Microsoft Graph (or the local emulator) as the MSP's multi-tenant app.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>Entra ID authority host; the emulator's base address locally.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>Graph v1.0 base URL.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>The MSP app registration's client id (one app, admin-consented in every customer tenant).</summary>
    public string? ClientId { get; set; }

    public GraphCredentialKind Credential { get; set; } = GraphCredentialKind.ClientSecret;

    /// <summary>With <see cref="GraphCredentialKind.ClientSecret"/>; from a secret store, never from grain state.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>With <see cref="GraphCredentialKind.ClientCertificate"/>: a PFX path and its password.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// SHA-256 thumbprint of the one TLS certificate to trust for the authority and Graph (the local emulator's
    /// self-signed one). Unset: normal certificate validation.
    /// </summary>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>Attempts per request, counting the first, for throttling (429) and transient failures (5xx, dropped connections).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Longest single wait for a Retry-After before the request is given up as unavailable.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Backoff before a retry Graph gave no Retry-After for (5xx, dropped connections, inner batch failures): a random
    /// wait up to a ceiling that starts here and doubles with each attempt up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The highest ceiling the backoff doubles up to.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Full jitter over an exponential ceiling: a random wait up to RetryDelay × 2^(attempt-1), at most MaxRetryDelay.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(MaxRetryDelay.TotalMilliseconds, RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    /// <summary>
    /// Longest one attempt may wait for Graph's answer (headers); a silent server is given up after this and the
    /// request tried again like a dropped connection.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest a whole request may take, every attempt, backoff and Retry-After wait included; then it fails
    /// UNAVAILABLE with reason TIMEOUT and the workflow step that sent it is retried later.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public GraphBudgetOptions Budgets { get; set; } = new();

    public GraphBatchingOptions Batching { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return "Graph:ClientId is required (the MSP app registration's client id).";
        }

        if (!Uri.TryCreate(AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            yield return "Graph:AuthorityHost must be an absolute https:// URL.";
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var graph) || graph.Scheme != Uri.UriSchemeHttps)
        {
            yield return "Graph:BaseUrl must be an absolute https:// URL.";
        }

        if (Credential == GraphCredentialKind.ClientSecret && string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return "Graph:ClientSecret is required with Graph:Credential=ClientSecret.";
        }

        if (Credential == GraphCredentialKind.ClientCertificate && (string.IsNullOrWhiteSpace(CertificatePath) || !File.Exists(CertificatePath)))
        {
            yield return "Graph:CertificatePath must name an existing PFX file with Graph:Credential=ClientCertificate.";
        }

        if (MaxAttempts is < 1 or > 50)
        {
            yield return "Graph:MaxAttempts must be between 1 and 50.";
        }

        if (AttemptTimeout <= TimeSpan.Zero || RequestTimeout < AttemptTimeout || RequestTimeout > TimeSpan.FromHours(1))
        {
            yield return "Graph:AttemptTimeout must be positive and Graph:RequestTimeout between it and 1 hour.";
        }

        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay || MaxRetryDelay > MaxRetryAfter)
        {
            yield return "Graph:RetryDelay must be positive and Graph:MaxRetryDelay between it and Graph:MaxRetryAfter.";
        }

        if (Budgets.Safety is <= 0 or > 1 || Budgets.WindowScale is <= 0 or > 1)
        {
            yield return "Graph:Budgets:Safety and Graph:Budgets:WindowScale must be in (0, 1].";
        }

        if (Batching.Quiet < TimeSpan.Zero || Batching.MaxDelay < Batching.Quiet || Batching.MaxDelay > TimeSpan.FromSeconds(5))
        {
            yield return "Graph:Batching:Quiet must be at least 0 and Graph:Batching:MaxDelay between Quiet and 5 s.";
        }
    }
}

public enum GraphCredentialKind
{
    ClientSecret,
    ClientCertificate,

    /// <summary>Kubernetes workload identity (AZURE_FEDERATED_TOKEN_FILE), one federated credential for every tenant.</summary>
    WorkloadIdentity,
}

/// <summary>
/// The budgets the gateway keeps itself under (Graph's published identity limits, times <see cref="Safety"/>), so
/// bulk work rarely sees a 429. Per app+tenant and per app across tenants; a cluster divides them among its silos.
/// </summary>
public sealed class GraphBudgetOptions
{
    /// <summary>Resource units per 10 s per app+tenant (3,500 for tenants under 50 users; 5,000 and 8,000 for larger).</summary>
    public int TenantUnitsPer10Seconds { get; set; } = 3_500;

    /// <summary>Writes per 150 s per app+tenant.</summary>
    public int TenantWritesPer150Seconds { get; set; } = 3_000;

    /// <summary>Resource units per 20 s for the app across all tenants.</summary>
    public int AppUnitsPer20Seconds { get; set; } = 150_000;

    /// <summary>Writes per 5 minutes for the app across all tenants.</summary>
    public int AppWritesPer5Minutes { get; set; } = 70_000;

    /// <summary>Fraction of each published limit the gateway plans to use.</summary>
    public double Safety { get; set; } = 0.9;

    /// <summary>
    /// Multiplies every window (10 s, 150 s, 20 s, 5 min). 1 in production. A benchmark that compresses time divides
    /// windows and limits by the same factor, here and in the emulator, so every rate stays the published one while a
    /// run of a minute spans many windows.
    /// </summary>
    public double WindowScale { get; set; } = 1.0;
}

/// <summary>How the gateway gathers a tenant's concurrent user creations and licence assignments into $batch calls.</summary>
public sealed class GraphBatchingOptions
{
    /// <summary>
    /// A batch goes when no new call for the tenant arrived for this long (or when it holds 20 requests). A tenant's
    /// accounts reach the gateway one seat-ledger write apart (the ledger decides reservations one at a time), tens of
    /// milliseconds each on a busy store: the wait must be longer than that gap, or a tenant's accounts split over
    /// several round trips.
    /// </summary>
    public TimeSpan Quiet { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>And at the latest this long after its first call arrived.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);
}
