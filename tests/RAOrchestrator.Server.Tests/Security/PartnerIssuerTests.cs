using System.Security.Claims;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The production way: partner tokens from an OpenID issuer (the emulator), keys read from its metadata over a pinned certificate.</summary>
[Collection(ServerCollection.Name)]
public sealed class PartnerIssuerTests(ServerFixture fixture)
{
    [Fact]
    public async Task Tokens_of_the_configured_openid_issuer_are_accepted_and_others_are_not()
    {
        var emulator = fixture.Emulator;
        await using var server = await StartWithIssuerAsync("issuer-");

        var issued = emulator.MintPartnerToken("contoso-msp", ["RAOrchestrator.Write"]);
        var listed = await server.Tenants(issued).ListTenantsAsync(new ListTenantsRequest());
        Assert.Empty(listed.Tenants);

        var reader = emulator.MintPartnerToken("contoso-msp", ["RAOrchestrator.Read"]);
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => server.Tenants(reader).CreateTenantAsync(new CreateTenantRequest
        {
            TenantId = TestIds.NewTenantId(),
            Tenant = new Tenant { DisplayName = "x" },
        }));

        var foreign = fixture.Tokens.Create("contoso-msp", [Tokens.WriteRole], issuer: emulator.PartnerIssuerUri, key: RandomNumberGenerator.GetBytes(32));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => server.Tenants(foreign).ListTenantsAsync(new ListTenantsRequest()));
    }
    [Fact]
    public async Task After_the_issuer_rolls_its_signing_key_tokens_signed_with_the_new_key_are_accepted()
    {
        var emulator = fixture.Emulator;
        await using var server = await StartWithIssuerAsync("rollover-");

        // The first call reads the issuer's metadata, which then holds only the current key.
        var before = emulator.MintPartnerToken("contoso-msp", ["RAOrchestrator.Read"]);
        await server.Tenants(before).ListTenantsAsync(new ListTenantsRequest());

        emulator.RotatePartnerSigningKey();
        var after = emulator.MintPartnerToken("contoso-msp", ["RAOrchestrator.Read"]);

        // A token naming a key the remembered metadata lacks makes the server read the metadata again, so the new
        // key is honoured (on this call, or on a retry once the refresh has completed) without a restart.
        var accepted = false;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!accepted && DateTime.UtcNow < deadline)
        {
            try
            {
                await server.Tenants(after).ListTenantsAsync(new ListTenantsRequest());
                accepted = true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(accepted, "A token signed with the issuer's new key was still refused 15 s after the rollover.");
        await server.Tenants(before).ListTenantsAsync(new ListTenantsRequest());
    }

    [Fact]
    public async Task An_hs256_token_is_unauthenticated_by_a_host_with_an_authority_even_keyed_with_the_issuers_published_rsa_key()
    {
        var emulator = fixture.Emulator;
        await using var server = await StartWithIssuerAsync("hs256-");
        var published = emulator.Tokens.PublishedPartnerKeys[^1];
        var modulus = new SymmetricSecurityKey(published.Rsa.ExportParameters(false).Modulus) { KeyId = published.KeyId };
        var random = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = published.KeyId };
        await server.Tenants(emulator.MintPartnerToken("contoso-msp", [Tokens.WriteRole])).ListTenantsAsync(new ListTenantsRequest());

        foreach (var key in new[] { modulus, random })
        {
            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = emulator.PartnerIssuerUri,
                Audience = Tokens.Audience,
                Subject = new ClaimsIdentity([new Claim("partner_id", "contoso-msp"), new Claim("roles", Tokens.WriteRole)]),
                Expires = DateTime.UtcNow.AddMinutes(30),
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            });

            var ex = await RpcAssert.Fails(StatusCode.Unauthenticated, () => server.Tenants(token).ListTenantsAsync(new ListTenantsRequest()));
            Assert.Equal("UNAUTHENTICATED", ex.Reason());
        }
    }

    /// <summary>A server that takes partner tokens from the emulator's OpenID issuer, its metadata read over the pinned certificate.</summary>
    private Task<ServerInstance> StartWithIssuerAsync(string clusterPrefix) =>
        ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, clusterPrefix + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = null,
            ["Auth:Issuer"] = null,
            ["Auth:Authority"] = fixture.Emulator.PartnerIssuerUri,
            ["Auth:AuthorityCertificateThumbprint"] = fixture.Emulator.CertificateSha256Thumbprint,
        });
}
