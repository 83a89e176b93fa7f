using RAOrchestrator.Directory;
using RAOrchestrator.Grains.Partners;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Tenants;

namespace RAOrchestrator.Server.Configuration;

/// <summary>All settings of the host, read once from configuration and checked before anything starts.</summary>
public sealed class ServerSettings
{
    public required ApiOptions Api { get; init; }
    public required WebOptions Web { get; init; }
    public required OwnershipOptions Ownership { get; init; }
    public required StorageOptions Storage { get; init; }
    public required SiloClusterOptions Cluster { get; init; }
    public required AuthOptions Auth { get; init; }
    public required PartnerOptions Partners { get; init; }
    public required GraphOptions Graph { get; init; }
    public required SessionGateOptions Sessions { get; init; }
    public required TelemetryOptions Telemetry { get; init; }
    public required DemoOptions Demo { get; init; }
    public required RateLimitOptions RateLimits { get; init; }
    public required HealthOptions Health { get; init; }
    public required RuntimeOptions Runtime { get; init; }

    public static ServerSettings Read(IConfiguration configuration) => new()
    {
        Api = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions(),
        Web = configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions(),
        Ownership = configuration.GetSection(OwnershipOptions.Section).Get<OwnershipOptions>() ?? new OwnershipOptions(),
        Storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions(),
        Cluster = configuration.GetSection(SiloClusterOptions.Section).Get<SiloClusterOptions>() ?? new SiloClusterOptions(),
        Auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions(),
        Partners = configuration.GetSection("Partners").Get<PartnerOptions>() ?? new PartnerOptions(),
        Graph = configuration.GetSection(GraphOptions.Section).Get<GraphOptions>() ?? new GraphOptions(),
        Sessions = configuration.GetSection(SessionGateOptions.Section).Get<SessionGateOptions>() ?? new SessionGateOptions(),
        Telemetry = ReadTelemetry(configuration),
        Demo = configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions(),
        RateLimits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions(),
        Health = configuration.GetSection(HealthOptions.Section).Get<HealthOptions>() ?? new HealthOptions(),
        Runtime = configuration.GetSection(RuntimeOptions.Section).Get<RuntimeOptions>() ?? new RuntimeOptions(),
    };

    private static TelemetryOptions ReadTelemetry(IConfiguration configuration)
    {
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        telemetry.Exporting = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        return telemetry;
    }

    /// <summary>Every problem, each naming the setting (as Section:Key) and what it must be.</summary>
    /// <param name="environment">The host's environment: Production refuses the emulator's credentials unless Demo:Enabled.</param>
    public IReadOnlyList<string> Validate(IHostEnvironment environment)
    {
        var errors = new List<string>();

        CheckUrl(errors, "Api:Url", Api.Url, allowHttps: true);
        CheckUrl(errors, "Api:ManagementUrl", Api.ManagementUrl, allowHttps: false);
        CheckUrl(errors, "Web:Url", Web.Url, allowHttps: true);
        if (Web.GateJoinsPerMinutePerAddress < 1 || Web.GateJoinsPerMinutePerSession < 1 || Web.PassPostsPerMinutePerAddress < 1)
        {
            errors.Add("Web:GateJoinsPerMinutePerAddress, Web:GateJoinsPerMinutePerSession and Web:PassPostsPerMinutePerAddress must be at least 1.");
        }

        if (!string.IsNullOrWhiteSpace(Web.PublicUrl) && (!Uri.TryCreate(Web.PublicUrl, UriKind.Absolute, out var publicUrl)
            || publicUrl.Scheme is not ("http" or "https") || publicUrl.Query.Length > 0 || publicUrl.Fragment.Length > 0))
        {
            errors.Add("Web:PublicUrl must be an absolute http(s) URL without query or fragment, such as https://raorchestrator.example.com.");
        }

        if (!string.IsNullOrWhiteSpace(Web.StaffClientId) && string.IsNullOrWhiteSpace(Auth.Authority))
        {
            errors.Add("Web:StaffClientId needs Auth:Authority: partners' staff sign in at the issuer of partner tokens, which the development Auth:SigningKey is not.");
        }

        if (Uri.TryCreate(Web.Url, UriKind.Absolute, out var web) && web.Scheme == Uri.UriSchemeHttps)
        {
            if (string.IsNullOrWhiteSpace(Web.CertificatePath) || !File.Exists(Web.CertificatePath))
            {
                errors.Add("Web:CertificatePath must name an existing PFX file when Web:Url is https://.");
            }
        }

        if (Ownership.ClaimLifetime < TimeSpan.FromSeconds(1) || Ownership.ClaimLifetime > TimeSpan.FromDays(90))
        {
            errors.Add("Ownership:ClaimLifetime must be between 00:00:01 and 90.00:00:00.");
        }
        if (Uri.TryCreate(Api.Url, UriKind.Absolute, out var api) && api.Scheme == Uri.UriSchemeHttps)
        {
            if (string.IsNullOrWhiteSpace(Api.CertificatePath))
            {
                errors.Add("Api:CertificatePath is required when Api:Url is https://.");
            }
            else if (!File.Exists(Api.CertificatePath))
            {
                errors.Add($"Api:CertificatePath '{Api.CertificatePath}' does not exist.");
            }
        }

        if (Api.MaxReceiveMessageBytes is < 4096 or > 64 * 1024 * 1024)
        {
            errors.Add("Api:MaxReceiveMessageBytes must be between 4096 and 67108864.");
        }

        if (string.IsNullOrWhiteSpace(Storage.ConnectionString) && string.IsNullOrWhiteSpace(Storage.TableServiceUri))
        {
            errors.Add("Storage:ConnectionString (or Storage:TableServiceUri with a managed identity) is required.");
        }
        else if (!string.IsNullOrWhiteSpace(Storage.TableServiceUri) && !Uri.TryCreate(Storage.TableServiceUri, UriKind.Absolute, out _))
        {
            errors.Add("Storage:TableServiceUri must be an absolute URI such as https://account.table.core.windows.net.");
        }

        errors.AddRange(Cluster.Validate());

        if (string.IsNullOrWhiteSpace(Cluster.ClusterId))
        {
            errors.Add("Cluster:ClusterId is required.");
        }

        if (string.IsNullOrWhiteSpace(Cluster.ServiceId))
        {
            errors.Add("Cluster:ServiceId is required.");
        }

        if (!System.Net.IPAddress.TryParse(Cluster.AdvertisedAddress, out _))
        {
            errors.Add("Cluster:AdvertisedAddress must be an IP address (the pod IP in Kubernetes).");
        }

        CheckPort(errors, "Cluster:SiloPort", Cluster.SiloPort);
        if (Cluster.GatewayEnabled)
        {
            CheckPort(errors, "Cluster:GatewayPort", Cluster.GatewayPort);
            if (Cluster.SiloPort == Cluster.GatewayPort)
            {
                errors.Add("Cluster:SiloPort and Cluster:GatewayPort must differ.");
            }
        }

        errors.AddRange(Cluster.Tls.Validate());

        errors.AddRange(Cluster.Membership.Validate());

        CheckAuth(errors);
        errors.AddRange(Graph.Validate());
        if (environment.IsProduction() && !Demo.Enabled)
        {
            CheckNoEmulatorCredentials(errors);
        }

        if (Sessions.GateUrl.Length > 0 && (!Uri.TryCreate(Sessions.GateUrl, UriKind.Absolute, out var gate) || gate.Scheme != Uri.UriSchemeHttps || gate.Fragment.Length > 0))
        {
            errors.Add("Sessions:GateUrl must be empty (the host's own join page) or an absolute https:// URL without a fragment (the partner's join page).");
        }

        if (Sessions.InvitationKey.Length > 0 && (!TryDecodeKey(Sessions.InvitationKey, out var invitationKey) || invitationKey.Length < 16))
        {
            errors.Add("Sessions:InvitationKey must be base64 of at least 16 random bytes (or empty to send links without proof).");
        }

        errors.AddRange(Telemetry.Validate());

        if (Partners.MaxTenants is < 1 or > PartnerOptions.MaxTenantsBound)
        {
            errors.Add($"Partners:MaxTenants must be between 1 and {PartnerOptions.MaxTenantsBound} (a partner's index is one stored row).");
        }

        if (Partners.MaxOperations is < 1 or > PartnerOptions.MaxOperationsBound)
        {
            errors.Add($"Partners:MaxOperations must be between 1 and {PartnerOptions.MaxOperationsBound} (a partner's index is one stored row).");
        }

        errors.AddRange(RateLimits.Validate());
        errors.AddRange(Health.Validate());
        errors.AddRange(Runtime.Validate());

        return errors;
    }

    private void CheckAuth(List<string> errors)
    {
        var hasAuthority = !string.IsNullOrWhiteSpace(Auth.Authority);
        var hasKey = !string.IsNullOrWhiteSpace(Auth.SigningKey);
        if (hasAuthority == hasKey)
        {
            errors.Add("Set exactly one of Auth:Authority (an OpenID issuer URL) or Auth:SigningKey (development only, with Auth:Issuer).");
        }

        if (hasAuthority && (!Uri.TryCreate(Auth.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("Auth:Authority must be an absolute https:// URL.");
        }

        if (hasKey)
        {
            if (string.IsNullOrWhiteSpace(Auth.Issuer))
            {
                errors.Add("Auth:Issuer is required with Auth:SigningKey.");
            }

            if (!TryDecodeKey(Auth.SigningKey!, out var key) || key.Length < 32)
            {
                errors.Add("Auth:SigningKey must be base64 of at least 32 bytes.");
            }
        }

        if (string.IsNullOrWhiteSpace(Auth.Audience))
        {
            errors.Add("Auth:Audience is required.");
        }

        if (string.IsNullOrWhiteSpace(Auth.PartnerClaim))
        {
            errors.Add("Auth:PartnerClaim is required.");
        }

        if (string.IsNullOrWhiteSpace(Auth.RolesClaim))
        {
            errors.Add("Auth:RolesClaim is required.");
        }

        if (Auth.TokenCacheCapacity < 0 || Auth.TokenCacheMaxAge < TimeSpan.Zero || Auth.TokenCacheMaxAge > TimeSpan.FromHours(1))
        {
            errors.Add("Auth:TokenCacheCapacity must be 0 or more and Auth:TokenCacheMaxAge between 0 and 1 hour.");
        }

        if (Auth.MaxTokenLifetime < TimeSpan.FromMinutes(1) || Auth.MaxTokenLifetime > TimeSpan.FromDays(7))
        {
            errors.Add("Auth:MaxTokenLifetime must be between 00:01:00 and 7.00:00:00 (default 24:00:00).");
        }
    }

    /// <summary>
    /// In Production, what only the local emulator needs: a development HMAC key anyone holding the configuration can
    /// mint tokens with, and pins that trust one self-signed certificate instead of the public PKI.
    /// </summary>
    private void CheckNoEmulatorCredentials(List<string> errors)
    {
        const string OrDemo = "or, if this deployment is a demonstration with emulator credentials, set Demo:Enabled=true.";
        if (!string.IsNullOrWhiteSpace(Auth.SigningKey))
        {
            errors.Add("Auth:SigningKey (the development HMAC key) must not be set in Production: remove it and set Auth:Authority to your OpenID issuer, " + OrDemo);
        }

        if (!string.IsNullOrWhiteSpace(Auth.AuthorityCertificateThumbprint))
        {
            errors.Add("Auth:AuthorityCertificateThumbprint (a pinned self-signed issuer certificate) must not be set in Production: remove it so the issuer's certificate is checked against trusted roots, " + OrDemo);
        }

        if (!string.IsNullOrWhiteSpace(Graph.PinnedCertificateSha256))
        {
            errors.Add("Graph:PinnedCertificateSha256 (a pinned self-signed Graph certificate) must not be set in Production: remove it so Microsoft Graph's certificate is checked against trusted roots, " + OrDemo);
        }
    }

    internal static bool TryDecodeKey(string value, out byte[] key)
    {
        key = [];
        try
        {
            key = Convert.FromBase64String(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void CheckUrl(List<string> errors, string name, string? value, bool allowHttps)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp && !(allowHttps && uri.Scheme == Uri.UriSchemeHttps))
        {
            errors.Add($"{name} must be an absolute {(allowHttps ? "http:// or https://" : "http://")} URL with a port, e.g. http://127.0.0.1:5080.");
        }
        else if (uri.Port is < 0 or > 65535)
        {
            errors.Add($"{name} has an invalid port.");
        }
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{name} must be between 1 and 65535.");
        }
    }
}
