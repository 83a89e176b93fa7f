using System.Text;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Domain.Tests.SignInPasses;

/// <summary>The link's secret, the pass sealed under it and the confirmation code kept as its HMAC.</summary>
public sealed class PassHandoffSecretsTests
{
    [Fact]
    public void A_link_parses_back_to_the_same_handoff_and_keys_and_prints_none_of_them()
    {
        var link = PassLink.New();
        var again = PassLink.TryParse(link.Text)!;

        Assert.Equal(PassLink.TextLength, link.Text.Length);
        Assert.Equal(link.Keys.HandoffId, again.Keys.HandoffId);
        Assert.Equal(link.Keys.SealKey, again.Keys.SealKey);
        Assert.NotEqual(link.Text, link.Keys.HandoffId);
        Assert.DoesNotContain(link.Text, link.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(link.Keys.SealKey), link.Keys.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(link.Keys.HandoffId, PassLink.New().Keys.HandoffId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA<")]
    public void Anything_but_a_link_secret_is_no_link(string text) => Assert.Null(PassLink.TryParse(text));

    [Fact]
    public void A_sealed_pass_opens_only_with_its_own_links_keys_and_does_not_show_in_the_sealed_bytes()
    {
        var link = PassLink.New();
        const string pass = "Xy7!k2Qp";
        var sealedPass = PassSeal.Seal(link.Keys, pass);

        Assert.Equal(pass, PassSeal.Open(link.Keys, sealedPass));
        Assert.Null(PassSeal.Open(PassLink.New().Keys, sealedPass));
        Assert.Null(PassSeal.Open(link.Keys with { HandoffId = PassLink.New().Keys.HandoffId }, sealedPass));
        Assert.DoesNotContain(pass, Encoding.UTF8.GetString(sealedPass), StringComparison.Ordinal);
        sealedPass[^1] ^= 1;
        Assert.Null(PassSeal.Open(link.Keys, sealedPass));
        Assert.Null(PassSeal.Open(link.Keys, [1, 2, 3]));
    }

    [Fact]
    public void A_code_matches_its_mac_under_the_same_link_only_and_is_six_digits_as_typed()
    {
        var link = PassLink.New();
        var code = ConfirmationCode.New();
        var mac = ConfirmationCode.Mac(link.Keys, code);

        Assert.Matches("^[0-9]{6}$", code);
        Assert.True(ConfirmationCode.Matches(link.Keys, code, mac));
        Assert.False(ConfirmationCode.Matches(PassLink.New().Keys, code, mac));
        Assert.False(ConfirmationCode.Matches(link.Keys, code == "000000" ? "000001" : "000000", mac));
        Assert.Equal("123456", ConfirmationCode.Normalize(" 123 456 "));
        Assert.Equal("123456", ConfirmationCode.Normalize("123-456"));
        Assert.Null(ConfirmationCode.Normalize("12345"));
        Assert.Null(ConfirmationCode.Normalize("12345a"));
        Assert.Null(ConfirmationCode.Normalize(new string('1', 40)));
        Assert.Null(ConfirmationCode.Normalize(null));
    }

    [Fact]
    public void The_link_mail_carries_the_link_but_never_a_pass_and_the_address_is_masked_for_pages()
    {
        var link = "https://ra.example/sign-in-pass#" + PassLink.New().Text;
        var mail = PassMails.Link("remote-assist@companyabc.com", "erin@vendor.example", "Company ABC", "expert@companyabc.com", link, DateTimeOffset.UnixEpoch);

        Assert.Contains(link, mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(link, mail.ToString(), StringComparison.Ordinal);
        Assert.Equal("er***@vendor.example", PassMails.Mask("erin@vendor.example"));
        Assert.Equal("e***@vendor.example", PassMails.Mask("e@vendor.example"));
    }
}
