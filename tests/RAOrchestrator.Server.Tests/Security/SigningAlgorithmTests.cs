using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Which signing algorithms a token may use. The host test (PartnerIssuerTests) shows an HS256 token refused by a host
/// with an authority; there the library would refuse it anyway (it neither uses RSA keys as HMAC secrets nor takes
/// symmetric keys from a JWKS), so this is what fails if the rule itself is dropped.
/// </summary>
public sealed class SigningAlgorithmTests
{
    [Fact]
    public void With_an_authority_only_asymmetric_algorithms_are_accepted()
    {
        var accepted = PartnerTokenValidator.AcceptedAlgorithms(new AuthOptions { Authority = "https://login.example.com/partners/v2.0" });

        Assert.Contains(SecurityAlgorithms.RsaSha256, accepted);
        Assert.Contains(SecurityAlgorithms.EcdsaSha256, accepted);
        Assert.DoesNotContain(accepted, a => a.StartsWith("HS", StringComparison.Ordinal) || a.Contains("hmac", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void With_the_development_signing_key_only_hs256_is_accepted()
    {
        var accepted = PartnerTokenValidator.AcceptedAlgorithms(new AuthOptions { Issuer = "https://issuer.test", SigningKey = Convert.ToBase64String(new byte[32]) });

        Assert.Equal([SecurityAlgorithms.HmacSha256], accepted);
    }
}
