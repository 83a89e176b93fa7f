namespace RAOrchestrator.Grains;

/// <summary>Names of the Orleans grain storage providers; the host registers each of them.</summary>
public static class StorageNames
{
    /// <summary>Azure Table storage for small grain state (tenants, operations, partners).</summary>
    public const string State = "state";

    /// <summary>The Azure Table provider behind <see cref="State"/>, which grains reach through <see cref="Storage.LostAnswerStorage"/>.</summary>
    public const string StateTable = "state-table";
}
