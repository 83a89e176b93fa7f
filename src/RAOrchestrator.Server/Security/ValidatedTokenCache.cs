using System.Collections.Concurrent;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// Remembers tokens that passed validation, with what they say about their caller, so a partner's integration (which
/// sends the same bearer token on every call for its whole lifetime) pays for parsing, signature checking and claim
/// reading once instead of per call.
/// </summary>
/// <remarks>
/// Only valid tokens are kept, keyed by their exact text (same bytes, same signature, same claims), and each entry
/// lapses at the token's own expiry (without the validator's clock skew, so never later than validation would allow)
/// or after <paramref name="maxAge"/>, whichever comes first: a signing key withdrawn from the issuer's metadata stops
/// being honoured within <paramref name="maxAge"/>. When <paramref name="capacity"/> entries are held, lapsed ones are
/// swept; if none are, new tokens are not remembered (they are validated on every call), so the cache's memory stays
/// bounded whatever callers send. Lookups take the token as a span of the header, so a hit allocates nothing.
/// </remarks>
public sealed class ValidatedTokenCache(TimeProvider time, int capacity, TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The claims of a remembered token that has not lapsed.</summary>
    public bool TryGet(ReadOnlySpan<char> token, out PartnerClaims claims)
    {
        var entries = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (entries.TryGetValue(token, out var key, out var entry))
        {
            if (time.GetUtcNow() < entry.Until)
            {
                claims = entry.Claims;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        claims = null!;
        return false;
    }

    /// <summary>Remembers a token that was just validated and expires at <paramref name="validTo"/> (UTC).</summary>
    public void Remember(string token, PartnerClaims claims, DateTime validTo)
    {
        if (capacity <= 0 || validTo == DateTime.MinValue)
        {
            return;
        }

        var now = time.GetUtcNow();
        var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        var until = expires < now + maxAge ? expires : now + maxAge;
        if (until <= now || !HasRoom(now))
        {
            return;
        }

        _entries[token] = new Entry(claims, until);
    }

    private bool HasRoom(DateTimeOffset now)
    {
        if (_entries.Count < capacity)
        {
            return true;
        }

        foreach (var (key, value) in _entries)
        {
            if (value.Until <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, value));
            }
        }

        return _entries.Count < capacity;
    }

    private sealed record Entry(PartnerClaims Claims, DateTimeOffset Until);
}
