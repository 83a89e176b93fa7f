namespace RAOrchestrator.GraphEmulator.State;

public enum FaultKind
{
    None,
    ServiceUnavailable,
    GatewayTimeout,
    DropConnection,
    TooManyRequests,

    /// <summary>No answer at all: the request is held until the client abandons it.</summary>
    Hang,
}

/// <summary>Rolls seeded dice for injected faults, so a run with the same seed and order repeats.</summary>
public sealed class FaultInjector
{
    private readonly Lock _sync = new();
    private FaultSettings _settings;
    private Random _random;

    public FaultInjector(FaultSettings settings)
    {
        _settings = settings.Clone();
        _random = new Random(settings.Seed ?? 1729);
    }

    public FaultSettings Settings
    {
        get { lock (_sync) return _settings.Clone(); }
        set
        {
            lock (_sync)
            {
                _settings = value.Clone();
                _random = new Random(value.Seed ?? 1729);
            }
        }
    }

    /// <summary>Picks the fault for one request to <paramref name="endpoint"/>. <paramref name="allowDrop"/> is false inside a batch.</summary>
    public FaultKind Roll(bool allowDrop, string endpoint)
    {
        lock (_sync)
        {
            var s = _settings;
            if ((s.DropConnectionRate <= 0 && s.HangRate <= 0 && s.ServiceUnavailableRate <= 0 && s.GatewayTimeoutRate <= 0 && s.Forced429Rate <= 0)
                || (s.Endpoints.Length > 0 && Array.IndexOf(s.Endpoints, endpoint) < 0))
            {
                return FaultKind.None;
            }
            var x = _random.NextDouble();
            if (allowDrop && (x -= s.DropConnectionRate) < 0) return FaultKind.DropConnection;
            if (allowDrop && (x -= s.HangRate) < 0) return FaultKind.Hang;
            if ((x -= s.ServiceUnavailableRate) < 0) return FaultKind.ServiceUnavailable;
            if ((x -= s.GatewayTimeoutRate) < 0) return FaultKind.GatewayTimeout;
            if ((x -= s.Forced429Rate) < 0) return FaultKind.TooManyRequests;
            return FaultKind.None;
        }
    }
}
