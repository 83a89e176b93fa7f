namespace RAOrchestrator.Domain.Directory;

/// <summary>The MSP's multi-tenant app as remedies name it (admin-consent links, application access policies).</summary>
public sealed record MspApp(string ClientId);
