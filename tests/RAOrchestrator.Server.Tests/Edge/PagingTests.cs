using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class PagingTests(ServerFixture fixture)
{
    [Fact]
    public async Task Listing_more_tenants_than_a_page_returns_each_exactly_once()
    {
        var partner = TestIds.NewPartner();
        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(partner));
        var ids = Enumerable.Range(0, 23).Select(_ => TestIds.NewTenantId()).ToArray();
        await Task.WhenAll(ids.Select(id => tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = id, Tenant = new Tenant { DisplayName = id } }).ResponseAsync));

        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 5, PageToken = token });
            Assert.True(page.Tenants.Count <= 5);
            seen.AddRange(page.Tenants.Select(t => t.TenantId));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(5, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Operations_are_listed_newest_first_across_pages()
    {
        var partner = TestIds.NewPartner();
        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(partner));
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = TestIds.NewTenantId(), Tenant = new Tenant { DisplayName = "t" + i } })).Operation.Name);
        }

        var operations = fixture.Server.Operations(fixture.Tokens.Reader(partner));
        var first = await operations.ListOperationsAsync(new ListOperationsRequest { PageSize = 4 });
        var second = await operations.ListOperationsAsync(new ListOperationsRequest { PageSize = 4, PageToken = first.NextPageToken });

        Assert.Equal(Enumerable.Reverse(created), first.Operations.Concat(second.Operations).Select(o => o.Name));
        Assert.Empty(second.NextPageToken);
    }
}
