namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// Azure Storage for grain state, cluster membership and reminders: a connection string (Azurite locally), or
/// service URIs reached with a managed identity / workload identity through Azure.Identity.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    /// <summary>e.g. https://account.table.core.windows.net; used with DefaultAzureCredential when no connection string is set.</summary>
    public string? TableServiceUri { get; set; }
}
