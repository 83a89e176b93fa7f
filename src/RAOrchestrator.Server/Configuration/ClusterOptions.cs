namespace RAOrchestrator.Server.Configuration;

/// <summary>This silo's identity and ports in the Orleans cluster.</summary>
public sealed class SiloClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Silos with the same ClusterId and storage form one cluster.</summary>
    public string ClusterId { get; set; } = "raorchestrator-local";

    /// <summary>Stays the same across deployments: grain state and reminders are keyed by it.</summary>
    public string ServiceId { get; set; } = "raorchestrator";

    /// <summary>The IP address other silos reach this one on (the pod IP in Kubernetes).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// Orleans' client gateway: any Orleans client that reaches it can call any grain directly, past the API's
    /// authorization. Off unless set; the silo then opens no gateway port at all and <see cref="GatewayPort"/> is unused.
    /// </summary>
    public bool GatewayEnabled { get; set; }

    /// <summary>The gateway's port, only when <see cref="GatewayEnabled"/>.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Mutual TLS between silos (and on the gateway when enabled); unset: plaintext.</summary>
    public SiloTlsOptions Tls { get; set; } = new();

    /// <summary>Bind silo and gateway ports on every interface instead of the advertised address only.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>Failure detection: how soon a silo that died without leaving is declared dead.</summary>
    public SiloMembershipOptions Membership { get; set; } = new();

    /// <summary>This silo's name in the membership table and logs (the pod name in Kubernetes); unset: Orleans picks one.</summary>
    public string? SiloName { get; set; }

    /// <summary>
    /// How long a stopping silo may take to hand over its grains and leave the cluster before the process ends anyway.
    /// Kubernetes' terminationGracePeriodSeconds must be longer.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Validate()
    {
        if (SiloName is not null && (SiloName.Length is 0 or > 253 || !SiloName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
        {
            yield return "Cluster:SiloName must be 1-253 letters, digits, '-', '.' or '_' (the pod name), or unset.";
        }

        if (ShutdownTimeout < TimeSpan.FromSeconds(5) || ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            yield return "Cluster:ShutdownTimeout must be between 00:00:05 and 00:10:00.";
        }
    }
}
