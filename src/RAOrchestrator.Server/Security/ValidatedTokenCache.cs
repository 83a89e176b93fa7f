using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// Remembers tokens that passed validation so a partner's integration, which sends the same bearer token on every call
/// for its whole lifetime, pays for parsing, signature checking and claim building once instead of per call.
/// </summary>
/// <remarks>
/// Only successful results are kept, keyed by the exact token text (same bytes, same signature, same claims), and each
/// entry lapses at the token's own expiry (without the validator's clock skew, so never later than validation would
/// allow) or after <paramref name="maxAge"/>, whichever comes first: a signing key withdrawn from the issuer's metadata
/// stops being honoured within <paramref name="maxAge"/>. Failed tokens are validated in full every time. When
/// <paramref name="capacity"/> entries are held, expired ones are swept; if none are, new tokens are validated but not
/// remembered, so the cache's memory stays bounded whatever callers send. The validation parameters are fixed at
/// start-up, so they are not part of the key.
/// </remarks>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time, int capacity, TimeSpan maxAge) : TokenHandler
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(token, out var cached))
        {
            if (now < cached.Until)
            {
                return cached.Result;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(token, cached));
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && Lapse(result, now) is { } until && until > now)
        {
            Remember(token, new Entry(result, until), now);
        }

        return result;
    }

    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        inner.ValidateTokenAsync(token, validationParameters);

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    /// <summary>When a valid result stops being reusable: the token's expiry, capped at <c>now + maxAge</c>; null without an expiry.</summary>
    private DateTimeOffset? Lapse(TokenValidationResult result, DateTimeOffset now)
    {
        var validTo = result.SecurityToken?.ValidTo ?? DateTime.MinValue;
        if (validTo == DateTime.MinValue)
        {
            return null;
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        var cap = now + maxAge;
        return expires < cap ? expires : cap;
    }

    private void Remember(string token, Entry entry, DateTimeOffset now)
    {
        if (_entries.Count >= capacity)
        {
            foreach (var (key, value) in _entries)
            {
                if (value.Until <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, value));
                }
            }

            if (_entries.Count >= capacity)
            {
                return;
            }
        }

        _entries[token] = entry;
    }

    private sealed record Entry(TokenValidationResult Result, DateTimeOffset Until);
}
