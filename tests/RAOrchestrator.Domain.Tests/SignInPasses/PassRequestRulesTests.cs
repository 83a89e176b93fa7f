using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Domain.Tests.SignInPasses;

public sealed class PassRequestRulesTests
{
    private static TemporaryAccessPassPolicy Policy(bool enabled = true, bool usableOnce = false) =>
        new(enabled, [TemporaryAccessPassPolicy.AllUsers], DefaultLifetimeMinutes: 60, MinimumLifetimeMinutes: 60,
            MaximumLifetimeMinutes: 480, IsUsableOnce: usableOnce, DefaultLength: 8);

    private static PassTerms Check(TemporaryAccessPassPolicy policy, int? lifetime = null, bool? usableOnce = null) =>
        PassRequestRules.Check(policy, lifetime, usableOnce, "lifetime_minutes", "usable_once");

    [Fact]
    public void Unset_terms_take_the_policys_defaults()
    {
        Assert.Equal(new PassTerms(60, false), Check(Policy()));
        Assert.Equal(new PassTerms(60, true), Check(Policy(usableOnce: true)));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(240)]
    [InlineData(480)]
    public void A_lifetime_within_the_bounds_is_kept(int minutes)
    {
        Assert.Equal(new PassTerms(minutes, true), Check(Policy(), minutes, usableOnce: true));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(481)]
    [InlineData(0)]
    public void A_lifetime_outside_the_bounds_is_refused_naming_the_field_and_the_bounds(int minutes)
    {
        var refused = Assert.Throws<OrchestratorException>(() => Check(Policy(), minutes));

        Assert.Equal((ErrorKind.FailedPrecondition, PassRequestRules.TapLifetimeOutOfBounds), (refused.Kind, refused.Reason));
        Assert.Equal("lifetime_minutes", Assert.Single(refused.Violations).Field);
        Assert.Equal(("60", "480"), (refused.Metadata!["minimum_lifetime_minutes"], refused.Metadata["maximum_lifetime_minutes"]));
    }

    [Fact]
    public void A_disabled_policy_refuses_every_pass_and_names_the_runbook_section()
    {
        var refused = Assert.Throws<OrchestratorException>(() => Check(Policy(enabled: false), 60, true));

        Assert.Equal((ErrorKind.FailedPrecondition, PassRequestRules.TapPolicyDisabled), (refused.Kind, refused.Reason));
        Assert.Equal(PassRequestRules.RunbookSection, refused.Metadata!["runbook_section"]);
        Assert.Contains(PassRequestRules.RunbookSection, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reusable_pass_is_refused_when_the_policy_makes_every_pass_one_time()
    {
        var refused = Assert.Throws<OrchestratorException>(() => Check(Policy(usableOnce: true), usableOnce: false));

        Assert.Equal(PassRequestRules.TapMustBeUsableOnce, refused.Reason);
        Assert.Equal("usable_once", Assert.Single(refused.Violations).Field);
    }

    [Fact]
    public void The_issued_pass_never_prints_its_secret()
    {
        var pass = new IssuedPass("m-1", "Secret-Pass-123", DateTimeOffset.UnixEpoch, 60, true);

        Assert.DoesNotContain("Secret-Pass-123", pass.ToString(), StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddHours(1), pass.ExpiresAt);
    }
}
