namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// Whether this deployment is a demonstration with emulator credentials. Only then does a Production host accept what
/// the local emulator needs and a real deployment must never have: the development HMAC signing key and pinned
/// self-signed certificates (see <see cref="ServerSettings.Validate"/>).
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>This deployment is a demonstration with emulator credentials (the local stack, docker compose, tests).</summary>
    public bool Enabled { get; set; }
}
