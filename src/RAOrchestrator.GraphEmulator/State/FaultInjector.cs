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
    private readonly List<RefusalFault> _refusals = [];

    public FaultInjector(FaultSettings settings)
    {
        _settings = settings.Clone();
        _random = new Random(settings.Seed ?? 1729);
    }

    public FaultSettings Settings
    {
        get
        {
            lock (_sync)
            {
                return _settings.Clone();
            }
        }
        set
        {
            lock (_sync)
            {
                _settings = value.Clone();
                _random = new Random(value.Seed ?? 1729);
            }
        }
    }

    /// <summary>Adds a refusal for the next requests to its endpoint (see <see cref="RefusalFault"/>).</summary>
    public void Refuse(RefusalFault refusal)
    {
        lock (_sync)
        {
            _refusals.Add(refusal);
        }
    }

    /// <summary>Forgets the refusals not yet given.</summary>
    public void ClearRefusals()
    {
        lock (_sync)
        {
            _refusals.Clear();
        }
    }

    /// <summary>The refusals not yet given.</summary>
    public IReadOnlyList<RefusalFault> Refusals
    {
        get
        {
            lock (_sync)
            {
                return [.. _refusals];
            }
        }
    }

    /// <summary>Takes one refusal for a request to <paramref name="endpoint"/>, or null when none waits for it.</summary>
    public RefusalFault? TakeRefusal(string endpoint)
    {
        lock (_sync)
        {
            var index = _refusals.FindIndex(r => r.Endpoint == endpoint && r.Times > 0);
            if (index < 0)
            {
                return null;
            }

            var refusal = _refusals[index];
            if (refusal.Times <= 1)
            {
                _refusals.RemoveAt(index);
            }
            else
            {
                _refusals[index] = refusal with { Times = refusal.Times - 1 };
            }

            return refusal;
        }
    }

    /// <summary>
    /// Whether this token request hangs: only when the settings name the token endpoint (<see cref="TokenEndpoint"/>)
    /// among their endpoints, so faults meant for Graph never touch sign-in.
    /// </summary>
    public bool HangsTokenRequest()
    {
        lock (_sync)
        {
            return _settings.HangRate > 0 && Array.IndexOf(_settings.Endpoints, TokenEndpoint) >= 0 && _random.NextDouble() < _settings.HangRate;
        }
    }

    /// <summary>The token endpoint as fault settings name it.</summary>
    public const string TokenEndpoint = "POST /oauth2/v2.0/token";

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
            if (allowDrop && (x -= s.DropConnectionRate) < 0)
            {
                return FaultKind.DropConnection;
            }

            if (allowDrop && (x -= s.HangRate) < 0)
            {
                return FaultKind.Hang;
            }

            if ((x -= s.ServiceUnavailableRate) < 0)
            {
                return FaultKind.ServiceUnavailable;
            }

            if ((x -= s.GatewayTimeoutRate) < 0)
            {
                return FaultKind.GatewayTimeout;
            }

            if ((x -= s.Forced429Rate) < 0)
            {
                return FaultKind.TooManyRequests;
            }

            return FaultKind.None;
        }
    }
}
