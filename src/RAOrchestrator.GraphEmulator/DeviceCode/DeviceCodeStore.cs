using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.DeviceCode;

/// <summary>A device code flow as the emulator tracks it: what was asked for, and what the person did at the verification page.</summary>
public sealed class DeviceAuthorization(string tenantId, string clientId, string scope, string userCode, DateTimeOffset expires)
{
    public string TenantId { get; } = tenantId;
    public string ClientId { get; } = clientId;
    public string Scope { get; } = scope;
    public string UserCode { get; } = userCode;
    public DateTimeOffset Expires { get; } = expires;

    /// <summary>The user who signed in and approved it; null while pending.</summary>
    public string? UserId { get; internal set; }
    public bool Denied { get; internal set; }
    public bool Redeemed { get; internal set; }
    internal DateTimeOffset? LastPoll { get; set; }
}

public enum DevicePoll { NotFound, Pending, SlowDown, Expired, Denied, Approved }

/// <summary>
/// Device codes (RFC 8628) in memory: the device code the client polls with, the short user code a person types at the
/// verification page, each valid for the configured lifetime; a code is redeemed once.
/// </summary>
public sealed class DeviceCodeStore(TimeProvider time)
{
    // Entra's user codes: letters and digits that cannot be mistaken for each other.
    private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";

    private readonly Lock _sync = new();
    private readonly Dictionary<string, DeviceAuthorization> _byDeviceCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceAuthorization> _byUserCode = new(StringComparer.OrdinalIgnoreCase);

    public (string DeviceCode, DeviceAuthorization Authorization) Issue(string tenantId, string clientId, string scope, TimeSpan lifetime)
    {
        var deviceCode = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        lock (_sync)
        {
            Purge();
            string userCode;
            do
            {
                userCode = RandomNumberGenerator.GetString(UserCodeAlphabet, 9);
            }
            while (_byUserCode.ContainsKey(userCode));

            var authorization = new DeviceAuthorization(tenantId, clientId, scope, userCode, time.GetUtcNow() + lifetime);
            _byDeviceCode[deviceCode] = authorization;
            _byUserCode[userCode] = authorization;
            return (deviceCode, authorization);
        }
    }

    /// <summary>The flow a person's code names, while it can still be approved; null otherwise.</summary>
    public DeviceAuthorization? FindPending(string userCode)
    {
        lock (_sync)
        {
            return _byUserCode.TryGetValue(userCode.Trim(), out var a) && a.Expires > time.GetUtcNow() && a.UserId is null && !a.Denied ? a : null;
        }
    }

    /// <summary>The person signed in and approved (<paramref name="userId"/>) or cancelled (null); false when no longer pending.</summary>
    public bool Decide(DeviceAuthorization authorization, string? userId)
    {
        lock (_sync)
        {
            if (authorization.UserId is not null || authorization.Denied || authorization.Expires <= time.GetUtcNow())
            {
                return false;
            }

            authorization.UserId = userId;
            authorization.Denied = userId is null;
            return true;
        }
    }

    /// <summary>One poll of the token endpoint: polling sooner than <paramref name="interval"/> after the last is slow_down; approved redeems the code.</summary>
    public (DevicePoll Status, DeviceAuthorization? Authorization) Poll(string deviceCode, TimeSpan interval)
    {
        lock (_sync)
        {
            if (!_byDeviceCode.TryGetValue(deviceCode, out var a) || a.Redeemed)
            {
                return (DevicePoll.NotFound, null);
            }

            var now = time.GetUtcNow();
            if (a.Expires <= now)
            {
                return (DevicePoll.Expired, a);
            }

            if (a.Denied)
            {
                return (DevicePoll.Denied, a);
            }

            if (a.UserId is not null)
            {
                a.Redeemed = true;
                return (DevicePoll.Approved, a);
            }

            // A little grace for the client's own timer; a client that ignores the interval is told to slow down.
            var tooSoon = a.LastPoll is { } last && now - last < interval - TimeSpan.FromMilliseconds(250);
            a.LastPoll = now;
            return (tooSoon ? DevicePoll.SlowDown : DevicePoll.Pending, a);
        }
    }

    private void Purge()
    {
        // Expired codes stay a while, so a late poll still gets expired_token rather than an unknown code.
        var now = time.GetUtcNow();
        foreach (var (code, a) in _byDeviceCode.Where(kv => kv.Value.Expires + TimeSpan.FromMinutes(15) <= now).ToList())
        {
            _byDeviceCode.Remove(code);
            _byUserCode.Remove(a.UserCode);
        }
    }
}
