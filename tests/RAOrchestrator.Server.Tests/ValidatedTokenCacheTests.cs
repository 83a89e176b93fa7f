using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit;

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
    public async Task The_cache_holds_at_most_its_capacity_and_sweeps_lapsed_entries_to_make_room()
    {
        var cache = new ValidatedTokenCache(_clock, capacity: 2, MaxAge);
        var claims = new PartnerClaims("contoso", PartnerRole.Write);
        var validTo = _clock.GetUtcNow().UtcDateTime.AddHours(1);

        cache.Remember("a", claims, validTo);
        cache.Remember("b", claims, validTo);
        cache.Remember("c", claims, validTo);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("c", out _));

        _clock.Advance(MaxAge);
        cache.Remember("c", claims, validTo);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("c", out _));
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
