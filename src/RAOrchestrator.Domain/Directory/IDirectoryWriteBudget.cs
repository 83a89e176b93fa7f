namespace RAOrchestrator.Domain.Directory;

/// <summary>
/// The share of the app's Graph write budget (every tenant together) that this silo's gateway spends: what bulk work
/// paces itself by before its calls reach the gateway, so that none of them waits there longer than it may.
/// </summary>
public interface IDirectoryWriteBudget
{
    /// <summary>Writes a second this silo may send, averaged over the budget's window (the published limit times the safety factor, divided among the active silos).</summary>
    double WritesPerSecond { get; }
}
