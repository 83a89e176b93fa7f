using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The validated-token cache in front of the real JSON web token handler: which results are reused and for how long.
/// The inner handler validates against the real clock; the cache's own clock is a fake so lapses can be stepped over.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly Tokens _tokens = new();
    private readonly CountingHandler _inner = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_valid_token_is_validated_once_and_then_served_from_the_cache()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 100, MaxAge);
        var token = _tokens.Writer("contoso");

        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid, first.Exception?.Message);
        Assert.Same(first, second);
        Assert.Equal(1, _inner.Calls);
        Assert.Equal("contoso", second.ClaimsIdentity.FindFirst("partner_id")?.Value);
    }

    [Fact]
    public async Task An_invalid_token_is_never_remembered()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 100, MaxAge);
        var forged = _tokens.Create("contoso", [Tokens.WriteRole], key: new byte[32]);

        Assert.False((await cache.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.Equal(2, _inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_remembered_token_lapses_at_its_own_expiry()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 100, MaxAge);
        var token = _tokens.Create("contoso", [Tokens.WriteRole], expires: _clock.GetUtcNow().UtcDateTime.AddMinutes(2));

        await cache.ValidateTokenAsync(token, Parameters());
        _clock.Advance(TimeSpan.FromSeconds(119));
        await cache.ValidateTokenAsync(token, Parameters());
        Assert.Equal(1, _inner.Calls);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await cache.ValidateTokenAsync(token, Parameters());
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_long_lived_token_is_validated_again_after_the_maximum_age()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 100, MaxAge);
        var token = _tokens.Create("contoso", [Tokens.WriteRole], expires: _clock.GetUtcNow().UtcDateTime.AddMinutes(50));

        await cache.ValidateTokenAsync(token, Parameters());
        _clock.Advance(MaxAge - TimeSpan.FromSeconds(1));
        await cache.ValidateTokenAsync(token, Parameters());
        _clock.Advance(TimeSpan.FromSeconds(2));
        await cache.ValidateTokenAsync(token, Parameters());

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_sweeps_lapsed_entries_to_make_room()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 2, MaxAge);
        var (a, b, c) = (_tokens.Writer("a"), _tokens.Writer("b"), _tokens.Writer("c"));

        await cache.ValidateTokenAsync(a, Parameters());
        await cache.ValidateTokenAsync(b, Parameters());
        await cache.ValidateTokenAsync(c, Parameters());
        Assert.Equal(2, cache.Count);
        Assert.True((await cache.ValidateTokenAsync(c, Parameters())).IsValid);
        Assert.Equal(4, _inner.Calls);

        _clock.Advance(MaxAge);
        await cache.ValidateTokenAsync(c, Parameters());
        Assert.Equal(1, cache.Count);
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = Tokens.Issuer,
        ValidAudience = Tokens.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(_tokens.SigningKeyBase64)),
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary>The real handler, counting how often it is asked.</summary>
    private sealed class CountingHandler : JsonWebTokenHandler
    {
        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
