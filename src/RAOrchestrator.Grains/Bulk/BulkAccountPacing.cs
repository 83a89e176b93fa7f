using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// One per silo: how many service accounts each bulk coordinator provisioning on this silo may have in flight at most,
/// so that all of them together never ask for more than the silo's share of Graph's write budget serves within a
/// coordinator's target (see <see cref="AccountWindow"/>). The budget is the silo's; coordinators that provision at
/// the same time divide it equally.
/// </summary>
public sealed class BulkAccountPacing(IDirectoryWriteBudget budget)
{
    /// <summary>Graph writes an account costs: its creation and its licence assignment.</summary>
    public const int WritesPerAccount = 2;

    private int _provisioning;

    /// <summary>Counts a coordinator as provisioning until the returned handle is disposed.</summary>
    public IDisposable Provisioning()
    {
        Interlocked.Increment(ref _provisioning);
        return new Leave(this);
    }

    /// <summary>The most accounts one provisioning coordinator may have in flight for Graph to serve them within <paramref name="target"/>.</summary>
    public int CeilingFor(TimeSpan target)
    {
        var share = budget.WritesPerSecond / WritesPerAccount / Math.Max(1, Volatile.Read(ref _provisioning));
        return (int)Math.Clamp(share * target.TotalSeconds, AccountWindow.Step, int.MaxValue / 2);
    }

    private sealed class Leave(BulkAccountPacing pacing) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                Interlocked.Decrement(ref pacing._provisioning);
            }
        }
    }
}
