using System.Security.Cryptography;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class AuthenticationTests(ServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;
    private Tokens Tokens => fixture.Tokens;

    public static TheoryData<string> BadTokens => new()
    {
        "none",
        "wrong-audience",
        "wrong-issuer",
        "expired",
        "foreign-key",
        "alg-none",
        "garbage",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_call_without_a_valid_token_is_unauthenticated(string kind)
    {
        var partner = TestIds.NewPartner();
        var token = kind switch
        {
            "none" => null,
            "wrong-audience" => Tokens.Create(partner, [Tokens.WriteRole], audience: "api://someone-else"),
            "wrong-issuer" => Tokens.Create(partner, [Tokens.WriteRole], issuer: "https://evil.test/v2.0"),
            "expired" => Tokens.Create(partner, [Tokens.WriteRole], expires: DateTime.UtcNow.AddMinutes(-5)),
            "foreign-key" => Tokens.Create(partner, [Tokens.WriteRole], key: RandomNumberGenerator.GetBytes(32)),
            "alg-none" => Tokens.Unsigned(partner),
            _ => "not-a-jwt",
        };

        var ex = await RpcAssert.Fails(StatusCode.Unauthenticated, () => Server.Tenants(token).ListTenantsAsync(new ListTenantsRequest()));
        Assert.Equal("UNAUTHENTICATED", ex.Reason());
    }

    [Fact]
    public async Task A_reader_can_list_but_cannot_create()
    {
        var partner = TestIds.NewPartner();
        await Server.Tenants(Tokens.Reader(partner)).ListTenantsAsync(new ListTenantsRequest());

        var ex = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Server.Tenants(Tokens.Reader(partner)).CreateTenantAsync(new CreateTenantRequest
        {
            TenantId = TestIds.NewTenantId(),
            Tenant = new Tenant { DisplayName = "Contoso" },
        }));
        Assert.Equal("MISSING_ROLE", ex.Reason());
    }

    [Fact]
    public async Task A_token_without_a_role_cannot_even_read()
    {
        var ex = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Server.Tenants(Tokens.For(TestIds.NewPartner())).ListTenantsAsync(new ListTenantsRequest()));
        Assert.Equal("MISSING_ROLE", ex.Reason());
    }

    [Fact]
    public async Task A_token_without_a_partner_claim_is_refused()
    {
        var ex = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Server.Tenants(Tokens.Create(null, [Tokens.WriteRole])).ListTenantsAsync(new ListTenantsRequest()));
        Assert.Equal("PARTNER_CLAIM_MISSING", ex.Reason());
    }

    [Fact]
    public async Task Every_rpc_of_our_services_declares_the_role_it_needs()
    {
        var serviceTypes = typeof(ServerApp).Assembly.GetTypes().Where(t => t.Namespace == "RAOrchestrator.Server.Grpc" && t.BaseType?.GetCustomAttributes(typeof(BindServiceMethodAttribute), false).Length > 0).ToArray();
        Assert.NotEmpty(serviceTypes);
        foreach (var type in serviceTypes)
        {
            var overrides = type.GetMethods().Where(m => m.DeclaringType == type && m.GetBaseDefinition().DeclaringType != type);
            foreach (var method in overrides)
            {
                Assert.True(method.GetCustomAttributes(typeof(Security.RequiresRoleAttribute), false).Length == 1, $"{type.Name}.{method.Name} has no [RequiresRole]");
            }
        }

        await Task.CompletedTask;
    }
}
