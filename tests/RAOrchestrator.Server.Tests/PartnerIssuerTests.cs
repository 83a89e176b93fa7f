using System.Security.Cryptography;
using Grpc.Core;
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
        await using var server = await ServerInstance.StartAsync(fixture.Azurite, emulator, fixture.Tokens, "issuer-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = null,
            ["Auth:Issuer"] = null,
            ["Auth:Authority"] = emulator.PartnerIssuerUri,
            ["Auth:AuthorityCertificateThumbprint"] = emulator.CertificateSha256Thumbprint,
        });

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
}
