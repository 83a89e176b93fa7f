using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.AssignLicense;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class LicenseTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphServiceClient Client => fixture.Server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);

    private static AssignLicensePostRequestBody Add(params Guid[] skus) => new()
    {
        AddLicenses = skus.Select(s => new AssignedLicense { SkuId = s, DisabledPlans = [] }).ToList(),
        RemoveLicenses = [],
    };

    private async Task<int> Consumed(GraphServiceClient client, Guid sku) =>
        (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == sku).ConsumedUnits!.Value;

    [Fact]
    public async Task SubscribedSkus_have_the_graph_shape()
    {
        var skus = await Client.SubscribedSkus.GetAsync();
        var e5 = skus!.Value!.Single(s => s.SkuPartNumber == "SPE_E5");
        Assert.Equal(TestData.E5, e5.SkuId);
        Assert.Equal(100, e5.PrepaidUnits!.Enabled);
        Assert.Equal(0, e5.PrepaidUnits.Suspended);
        Assert.Equal($"{TestData.TenantA}_{TestData.E5}", e5.Id);
        Assert.Equal("EXCHANGE_S_ENTERPRISE", Assert.Single(e5.ServicePlans!).ServicePlanName);
    }

    [Fact]
    public async Task Assigns_licences_and_reports_each_failure_mode()
    {
        var client = Client;
        var user = await client.Users.PostAsync(DirectoryTests.NewUser("lic1"));
        var before = await Consumed(client, TestData.RemoteAssist);

        var assigned = await client.Users[user!.Id].AssignLicense.PostAsync(Add(TestData.RemoteAssist, TestData.E5));
        Assert.Equal(user.Id, assigned!.Id);
        Assert.Equal(before + 1, await Consumed(client, TestData.RemoteAssist));

        var read = await client.Users[user.Id].GetAsync(r => r.QueryParameters.Select = ["assignedLicenses", "licenseAssignmentStates"]);
        Assert.Equal(2, read!.AssignedLicenses!.Count);
        var state = read.LicenseAssignmentStates!.Single(s => s.SkuId == TestData.RemoteAssist);
        Assert.Equal("Active", state.State);
        Assert.Equal("None", state.Error);
        Assert.Null(state.AssignedByGroup);

        // Re-assigning takes no second seat.
        await client.Users[user.Id].AssignLicense.PostAsync(Add(TestData.RemoteAssist));
        Assert.Equal(before + 1, await Consumed(client, TestData.RemoteAssist));

        // No usage location.
        var nowhere = await client.Users.PostAsync(DirectoryTests.NewUser("lic-nowhere", usageLocation: null));
        var e1 = await Assert.ThrowsAsync<ODataError>(() => client.Users[nowhere!.Id].AssignLicense.PostAsync(Add(TestData.E5)));
        Assert.Equal(400, e1.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", e1.Error?.Code);
        Assert.Equal("License assignment cannot be done for user with invalid usage location.", e1.Error?.Message);

        // Unknown SKU.
        var unknown = Guid.NewGuid();
        var e2 = await Assert.ThrowsAsync<ODataError>(() => client.Users[user.Id].AssignLicense.PostAsync(Add(unknown)));
        Assert.Equal($"License {unknown} does not correspond to a valid company License.", e2.Error?.Message);

        // Mutually exclusive plans: the user holds E5.
        var e3 = await Assert.ThrowsAsync<ODataError>(() => client.Users[user.Id].AssignLicense.PostAsync(Add(TestData.ExchangeStandard)));
        Assert.Contains("mutually exclusive", e3.Error?.Message);

        // No free seats: Remote Assist has 2 seats.
        var second = await client.Users.PostAsync(DirectoryTests.NewUser("lic2"));
        await client.Users[second!.Id].AssignLicense.PostAsync(Add(TestData.RemoteAssist));
        var third = await client.Users.PostAsync(DirectoryTests.NewUser("lic3"));
        var e4 = await Assert.ThrowsAsync<ODataError>(() => client.Users[third!.Id].AssignLicense.PostAsync(Add(TestData.RemoteAssist)));
        Assert.Contains("does not have any available licenses", e4.Error?.Message);
        Assert.Equal(2, await Consumed(client, TestData.RemoteAssist));

        // Removing frees the seat.
        await client.Users[second.Id].AssignLicense.PostAsync(new AssignLicensePostRequestBody { AddLicenses = [], RemoveLicenses = [TestData.RemoteAssist] });
        await client.Users[third!.Id].AssignLicense.PostAsync(Add(TestData.RemoteAssist));
        Assert.Equal(2, await Consumed(client, TestData.RemoteAssist));
    }
}
