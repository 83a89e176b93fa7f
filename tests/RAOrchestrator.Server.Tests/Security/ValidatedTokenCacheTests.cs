using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The authenticator's validated-token cache in front of the real token validator: which tokens are remembered and for
/// how long. The validator checks lifetimes against the real clock; the cache's own clock is a fake so lapses can be
/// stepped over.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly Tokens _tokens = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_valid_token_is_validated_once_and_then_served_from_the_cache()
    {
        var (authenticator, validator) = Authenticator(capacity: 100);
        var token = _tokens.Writer("contoso");

        var first = await authenticator.AuthenticateAsync(Request(token));
        var second = await authenticator.AuthenticateAsync(Request(token));

        Assert.Equal("contoso", first?.Caller?.PartnerId);
        Assert.Same(first, second);
        Assert.Equal(1, validator.Validations);
    }

    [Fact]
    public async Task An_invalid_token_is_never_remembered()
    {
        var (authenticator, validator) = Authenticator(capacity: 100);
        var forged = _tokens.Create("contoso", [Tokens.WriteRole], key: new byte[32]);

        Assert.Null(await authenticator.AuthenticateAsync(Request(forged)));
        Assert.Null(await authenticator.AuthenticateAsync(Request(forged)));
        Assert.Equal(2, validator.Validations);
    }

    [Fact]
    public async Task A_remembered_token_lapses_at_its_own_expiry()
    {
        var (authenticator, validator) = Authenticator(capacity: 100);
        var token = _tokens.Create("contoso", [Tokens.WriteRole], expires: _clock.GetUtcNow().UtcDateTime.AddMinutes(2));

        await authenticator.AuthenticateAsync(Request(token));
        _clock.Advance(TimeSpan.FromSeconds(119));
        await authenticator.AuthenticateAsync(Request(token));
        Assert.Equal(1, validator.Validations);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await authenticator.AuthenticateAsync(Request(token));
        Assert.Equal(2, validator.Validations);
    }

    [Fact]
    public async Task A_long_lived_token_is_validated_again_after_the_maximum_age()
    {
        var (authenticator, validator) = Authenticator(capacity: 100);
        var token = _tokens.Create("contoso", [Tokens.WriteRole], expires: _clock.GetUtcNow().UtcDateTime.AddMinutes(50));

        await authenticator.AuthenticateAsync(Request(token));
        _clock.Advance(MaxAge - TimeSpan.FromSeconds(1));
        await authenticator.AuthenticateAsync(Request(token));
        _clock.Advance(TimeSpan.FromSeconds(2));
        await authenticator.AuthenticateAsync(Request(token));

        Assert.Equal(2, validator.Validations);
    }

    [Fact]
    public void A_full_cache_sweeps_lapsed_entries_before_evicting_any()
    {
        var cache = Cache(capacity: 2);

        RememberInTurn(cache, "a", "b", "c");
        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("c", out _));

        _clock.Advance(MaxAge);
        RememberInTurn(cache, "d");
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("d", out _));
    }

    [Fact]
    public void Filling_past_capacity_keeps_the_count_bounded_and_remembers_the_newest_tokens()
    {
        var cache = Cache(capacity: 16);

        for (var i = 0; i < 100; i++)
        {
            RememberInTurn(cache, "token-" + i);
            Assert.True(cache.Count <= 16, $"{cache.Count} entries after {i + 1} tokens");
        }

        for (var i = 90; i < 100; i++)
        {
            Assert.True(cache.TryGet("token-" + i, out _), $"token-{i} was not remembered");
        }

        Assert.False(cache.TryGet("token-0", out _));
    }

    [Fact]
    public void At_capacity_the_least_recently_used_token_is_evicted_not_the_busy_one()
    {
        var cache = Cache(capacity: 3);

        RememberInTurn(cache, "busy", "idle", "other");
        Assert.True(cache.TryGet("busy", out _));
        RememberInTurn(cache, "new");

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("busy", out _));
        Assert.True(cache.TryGet("new", out _));
        Assert.False(cache.TryGet("idle", out _));
    }

    [Fact]
    public async Task An_evicted_token_is_validated_again_on_its_next_use_and_remembered_again()
    {
        var (authenticator, validator) = Authenticator(capacity: 2);
        var first = _tokens.Writer("contoso");

        await authenticator.AuthenticateAsync(Request(first));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await authenticator.AuthenticateAsync(Request(_tokens.Writer("fabrikam")));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await authenticator.AuthenticateAsync(Request(_tokens.Writer("tailspin")));
        Assert.Equal(3, validator.Validations);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("contoso", (await authenticator.AuthenticateAsync(Request(first)))?.Caller?.PartnerId);
        Assert.Equal(4, validator.Validations);
        await authenticator.AuthenticateAsync(Request(first));
        Assert.Equal(4, validator.Validations);
    }

    [Fact]
    public void A_hit_allocates_nothing()
    {
        var cache = Cache(capacity: 4);
        var header = "Bearer " + _tokens.Writer("contoso");
        RememberInTurn(cache, header[7..]);
        Assert.True(cache.TryGet(header.AsSpan(7), out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(2));
            cache.TryGet(header.AsSpan(7), out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-jwt")]
    public async Task A_request_without_a_bearer_token_is_not_authenticated(string? header)
    {
        var (authenticator, _) = Authenticator(capacity: 100);
        var http = new DefaultHttpContext();
        if (header is not null)
        {
            http.Request.Headers.Authorization = header;
        }

        Assert.Null(await authenticator.AuthenticateAsync(http));
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive_as_in_http()
    {
        var (authenticator, _) = Authenticator(capacity: 100);
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "bearer " + _tokens.Writer("contoso");

        Assert.Equal("contoso", (await authenticator.AuthenticateAsync(http))?.Caller?.PartnerId);
    }

    private ValidatedTokenCache Cache(int capacity) => new(_clock, capacity, MaxAge);

    /// <summary>Remembers each token (valid for an hour) a second after the previous one, so their recency is distinct.</summary>
    private void RememberInTurn(ValidatedTokenCache cache, params string[] tokens)
    {
        foreach (var token in tokens)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            cache.Remember(token, new PartnerClaims("contoso", PartnerRole.Write), _clock.GetUtcNow().UtcDateTime.AddHours(1));
        }
    }

    private (PartnerAuthenticator Authenticator, PartnerTokenValidator Validator) Authenticator(int capacity)
    {
        var options = new AuthOptions
        {
            Issuer = Tokens.Issuer,
            Audience = Tokens.Audience,
            SigningKey = _tokens.SigningKeyBase64,
            TokenCacheCapacity = capacity,
            TokenCacheMaxAge = MaxAge,
        };
        var validator = new PartnerTokenValidator(options, NullLogger<PartnerTokenValidator>.Instance);
        return (new PartnerAuthenticator(Options.Create(options), validator, _clock), validator);
    }

    private static DefaultHttpContext Request(string token)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + token;
        return http;
    }
}
