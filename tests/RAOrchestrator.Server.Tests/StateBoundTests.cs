using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Grain state stays under Azure Table's entity limit (real Orleans, Azurite table storage): logs that remember
/// answers are bounded in bytes, not only in entries, so a grain can always be written again.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StateBoundTests(ServerFixture fixture)
{
    private const int MaxAllowList = 1000;
    private readonly string _partner = TestIds.NewPartner();
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));

    [Fact]
    public async Task A_tenant_takes_many_updates_carrying_the_largest_allow_list_and_still_answers_retries()
    {
        var created = await Tenants.CreateTenantAsync(ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator, consent: false)));
        UpdateTenantResponse? last = null;
        UpdateTenantRequest? lastRequest = null;

        // 1,000 ids of 36 characters: each answer remembered for a retry is ~38 KB, so 60 of them are ~2.3 MB.
        for (var round = 0; round < 60; round++)
        {
            lastRequest = new UpdateTenantRequest
            {
                RequestId = TestIds.NewRequestId(),
                Tenant = new Tenant { Name = created.Tenant.Name, ExternalAccessAllowedTenants = { AllowList() } },
                UpdateMask = new FieldMask { Paths = { "external_access_allowed_tenants" } },
            };
            last = await Tenants.UpdateTenantAsync(lastRequest);
        }

        var replay = await Tenants.UpdateTenantAsync(lastRequest!);
        Assert.Equal(last!.Tenant, replay.Tenant);
        var renamed = await Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            RequestId = TestIds.NewRequestId(),
            Tenant = new Tenant { Name = created.Tenant.Name, DisplayName = "Still writable" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        Assert.Equal("Still writable", renamed.Tenant.DisplayName);
    }

    private static IEnumerable<string> AllowList() => Enumerable.Range(0, MaxAllowList).Select(_ => Guid.NewGuid().ToString("D"));
}
