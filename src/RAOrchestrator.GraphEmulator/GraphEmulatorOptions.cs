using System.Security.Cryptography.X509Certificates;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator;

/// <summary>How to start a <see cref="GraphEmulatorServer"/>.</summary>
public sealed class GraphEmulatorOptions
{
    /// <summary>Path of a JSON data file (see README). Ignored when <see cref="Data"/> is set.</summary>
    public string? DataFile { get; set; }

    /// <summary>Data built in code. Takes precedence over <see cref="DataFile"/>.</summary>
    public EmulatorData? Data { get; set; }

    /// <summary>Listening URL, e.g. <c>https://127.0.0.1:5443</c>. Null: a free loopback port on 127.0.0.1.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// PFX file holding the TLS certificate. If it exists it is loaded; if not, a new self-signed certificate is
    /// generated and saved there, so the thumbprint stays stable across runs. Null: a new certificate per start.
    /// </summary>
    public string? CertificatePfxPath { get; set; }

    public string? CertificatePfxPassword { get; set; }

    /// <summary>An explicit certificate (with private key). Takes precedence over <see cref="CertificatePfxPath"/>.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Where to write the certificate's public PEM so other processes can pin it.</summary>
    public string? CertificatePemOutputPath { get; set; }

    /// <summary>The partner token issuer's tenant id; overrides the data file's <c>partnerIssuer</c>.</summary>
    public string? PartnerIssuer { get; set; }

    public ThrottlingSettings Throttling { get; set; } = new();

    public FaultSettings Faults { get; set; } = new();

    /// <summary>Lifetime of issued Graph access tokens.</summary>
    public TimeSpan GraphTokenLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// The password every tenant user signs in with at <c>/{tenant}/oauth2/v2.0/authorize</c>. Emulator-only: there are
    /// no per-user passwords, and nothing real should ever use this value.
    /// </summary>
    public string SignInPassword { get; set; } = DefaultSignInPassword;

    public const string DefaultSignInPassword = "demo-password";

    /// <summary>How long a user's access tokens from the device code and refresh token grants live (Entra: 60-90 minutes).</summary>
    public TimeSpan UserTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>interval</c> a device code flow client waits between polls (Entra: 5 s); polling sooner is <c>slow_down</c>.</summary>
    public TimeSpan DeviceCodeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a device code (and the user code shown with it) can be used (Entra: 15 minutes).</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Log level for ASP.NET Core's own logging.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Per app+tenant resource-unit budgets (see platform-facts.md).</summary>
public sealed class ThrottlingSettings
{
    public bool Enabled { get; set; } = true;
    public double WindowSeconds { get; set; } = 10;
    public int SmallTenantBudget { get; set; } = 3500;
    public int MediumTenantBudget { get; set; } = 5000;
    public int LargeTenantBudget { get; set; } = 8000;
    /// <summary>If set, the budget of every tenant regardless of size (handy for tests).</summary>
    public int? BudgetOverride { get; set; }
    public int WriteBudget { get; set; } = 3000;

    /// <summary>
    /// How long after the answer carrying the first 429 of a throttled run was sent requests still count as in flight
    /// rather than early (see the early-request counter). 0: every request before the Retry-After has elapsed is early.
    /// </summary>
    public int InFlightGraceMilliseconds { get; set; }
    public double WriteWindowSeconds { get; set; } = 150;
    /// <summary>Per app across all tenants: resource units per <see cref="AppWindowSeconds"/>.</summary>
    public int AppBudget { get; set; } = 150_000;
    public double AppWindowSeconds { get; set; } = 20;
    /// <summary>Per app across all tenants: writes per <see cref="AppWriteWindowSeconds"/> (70,000 per 5 minutes).</summary>
    public int AppWriteBudget { get; set; } = 70_000;
    public double AppWriteWindowSeconds { get; set; } = 300;
    /// <summary>Multiplies every budget (tenant, write, app), e.g. 0.01 to make tests hit limits quickly.</summary>
    public double Scale { get; set; } = 1.0;

    public ThrottlingSettings Clone() => (ThrottlingSettings)MemberwiseClone();
}

/// <summary>Faults injected into Graph requests on demand.</summary>
public sealed class FaultSettings
{
    public int LatencyMs { get; set; }
    public double ServiceUnavailableRate { get; set; }

    /// <summary>The Retry-After (seconds) an injected 503 carries; 0 sends none, so the client backs off on its own.</summary>
    public int ServiceUnavailableRetryAfterSeconds { get; set; } = 1;

    public double GatewayTimeoutRate { get; set; }
    public double DropConnectionRate { get; set; }
    public double Forced429Rate { get; set; }

    /// <summary>
    /// Share of requests that are never answered: the emulator holds them until the client gives up (not inside a
    /// batch). Token requests hang only when <see cref="Endpoints"/> names <c>POST /oauth2/v2.0/token</c>.
    /// </summary>
    public double HangRate { get; set; }
    public int Forced429RetryAfterSeconds { get; set; } = 1;

    /// <summary>When not empty, faults hit only these endpoints, named as the counters name them (e.g. <c>POST /users/{id}/events</c>).</summary>
    public string[] Endpoints { get; set; } = [];
    /// <summary>Seed of the fault dice; null uses a fixed default so runs repeat.</summary>
    public int? Seed { get; set; }

    public FaultSettings Clone() => (FaultSettings)MemberwiseClone();
}
