using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Missing_and_wrong_settings_are_each_named_before_anything_starts()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build(
        [
            "--Storage:ConnectionString=",
            "--Auth:Audience=",
            "--Cluster:SiloPort=70000",
            "--Api:Url=ftp://nowhere",
        ]));

        Assert.Contains(ex.Errors, e => e.StartsWith("Storage:ConnectionString", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Auth:Audience", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Cluster:SiloPort", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Api:Url", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("Auth:Authority", StringComparison.Ordinal));
    }

    [Fact]
    public void A_development_signing_key_that_is_too_short_is_refused()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build(
        [
            "--Auth:Issuer=https://issuer.test",
            "--Auth:SigningKey=" + Convert.ToBase64String(new byte[16]),
        ]));

        Assert.Contains(ex.Errors, e => e.StartsWith("Auth:SigningKey", StringComparison.Ordinal));
    }

    [Fact]
    public void A_staff_client_without_a_partner_authority_is_refused_by_name()
    {
        // The development key signs partner tokens itself: there is no issuer where partners' staff could sign in.
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. MinimalHostArgs.Valid, "--Web:StaffClientId=9d2f6a41-7c3e-4b58-a1d0-5e8f2b7c3a10"]));

        Assert.StartsWith("Web:StaffClientId needs Auth:Authority", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Membership_timing_outside_its_bounds_is_refused_by_name()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build(
        [
            "--Cluster:Membership:ProbeTimeout=00:00:00.1",
            "--Cluster:Membership:NumMissedProbesLimit=0",
            "--Cluster:Membership:NumVotesForDeathDeclaration=11",
        ]));

        Assert.Contains(ex.Errors, e => e.StartsWith("Cluster:Membership:ProbeTimeout", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Cluster:Membership:NumMissedProbesLimit", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Cluster:Membership:NumVotesForDeathDeclaration", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:59")]
    [InlineData("7.00:00:01")]
    public void A_maximum_token_lifetime_outside_one_minute_to_seven_days_is_refused_by_name(string lifetime)
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. MinimalHostArgs.Valid, "--Auth:MaxTokenLifetime=" + lifetime]));

        Assert.StartsWith("Auth:MaxTokenLifetime", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Per_partner_limits_outside_their_bounds_are_refused_by_name()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build(
        [
            "--RateLimits:Default:RequestsPerSecond=0",
            "--RateLimits:Default:Burst=2000000",
            "--RateLimits:Partners:contoso-msp:RequestsPerSecond=-5",
            "--RateLimits:Partners:Not_A_Partner:Burst=10",
            "--RateLimits:MaxStreamsPerPartner=0",
            "--RateLimits:MaxRunningBulkOperationsPerPartner=100000",
        ]));

        foreach (var name in new[]
        {
            "RateLimits:Default:RequestsPerSecond", "RateLimits:Default:Burst", "RateLimits:Partners:contoso-msp:RequestsPerSecond",
            "RateLimits:MaxStreamsPerPartner", "RateLimits:MaxRunningBulkOperationsPerPartner",
        })
        {
            Assert.Contains(ex.Errors, e => e.StartsWith(name + " must be between", StringComparison.Ordinal));
        }

        Assert.Contains(ex.Errors, e => e.StartsWith("RateLimits:Partners:Not_A_Partner must be named by a partner id", StringComparison.OrdinalIgnoreCase));
    }
}
