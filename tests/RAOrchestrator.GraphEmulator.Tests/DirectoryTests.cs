using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class DirectoryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphServiceClient Client => fixture.Server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);

    internal static User NewUser(string nickname, string? usageLocation = "DE") => new()
    {
        AccountEnabled = true,
        DisplayName = "User " + nickname,
        MailNickname = nickname,
        UserPrincipalName = $"{nickname}@{TestData.DomainA}",
        UsageLocation = usageLocation,
        PasswordProfile = new PasswordProfile { Password = "P@ssw0rd-emulator!", ForceChangePasswordNextSignIn = true },
    };

    [Fact]
    public async Task Creates_gets_patches_and_deletes_a_user()
    {
        var client = Client;
        var created = await client.Users.PostAsync(NewUser("crud1"));
        Assert.NotNull(created?.Id);
        Assert.Equal($"crud1@{TestData.DomainA}", created!.UserPrincipalName);

        await client.Users[created.Id].PatchAsync(new User
        {
            Department = "Field Service",
            CompanyName = "Company ABC",
            OnPremisesExtensionAttributes = new OnPremisesExtensionAttributes { ExtensionAttribute3 = "HoloLens" },
        });
        var got = await client.Users[created.UserPrincipalName].GetAsync(r =>
            r.QueryParameters.Select = ["id", "department", "companyName", "onPremisesExtensionAttributes", "userType", "accountEnabled"]);
        Assert.Equal(created.Id, got!.Id);
        Assert.Equal("Field Service", got.Department);
        Assert.Equal("HoloLens", got.OnPremisesExtensionAttributes?.ExtensionAttribute3);
        Assert.Equal("Member", got.UserType);
        Assert.True(got.AccountEnabled);

        // Without $select, Graph returns its default property set only.
        var plain = await client.Users[created.Id].GetAsync();
        Assert.Null(plain!.Department);
        Assert.Equal("User crud1", plain.DisplayName);

        await client.Users[created.Id].DeleteAsync();
        var e = await Assert.ThrowsAsync<ODataError>(() => client.Users[created.Id].GetAsync());
        Assert.Equal(404, e.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", e.Error?.Code);
    }

    [Fact]
    public async Task Create_user_enforces_required_fields_domain_and_uniqueness()
    {
        var client = Client;
        var missing = NewUser("nomail");
        missing.MailNickname = null;
        var e1 = await Assert.ThrowsAsync<ODataError>(() => client.Users.PostAsync(missing));
        Assert.Equal(400, e1.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", e1.Error?.Code);
        Assert.Contains("mailNickname", e1.Error?.Message);

        var noPassword = NewUser("nopw");
        noPassword.PasswordProfile = null;
        var e2 = await Assert.ThrowsAsync<ODataError>(() => client.Users.PostAsync(noPassword));
        Assert.Contains("passwordProfile", e2.Error?.Message);

        var foreignDomain = NewUser("foreign");
        foreignDomain.UserPrincipalName = "foreign@not-verified.example";
        var e3 = await Assert.ThrowsAsync<ODataError>(() => client.Users.PostAsync(foreignDomain));
        Assert.Contains("verified domain", e3.Error?.Message);

        await client.Users.PostAsync(NewUser("dupe"));
        var e4 = await Assert.ThrowsAsync<ODataError>(() => client.Users.PostAsync(NewUser("dupe")));
        Assert.Equal(400, e4.ResponseStatusCode);
        Assert.Equal("Another object with the same value for property userPrincipalName already exists.", e4.Error?.Message);
        Assert.NotNull(e4.Error?.InnerError?.RequestId);
    }

    [Fact]
    public async Task Filters_and_pages_users()
    {
        var client = Client;
        for (var i = 0; i < 7; i++)
        {
            await client.Users.PostAsync(NewUser($"page{i}"));
        }

        var byUpn = await client.Users.GetAsync(r => r.QueryParameters.Filter = $"userPrincipalName eq 'PAGE3@{TestData.DomainA}'");
        Assert.Equal("User page3", Assert.Single(byUpn!.Value!).DisplayName);

        var byMail = await client.Users.GetAsync(r => r.QueryParameters.Filter = $"mail eq '{TestData.OrganizerA}'");
        Assert.Single(byMail!.Value!);

        var first = await client.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = "startswith(userPrincipalName,'page')";
            r.QueryParameters.Top = 3;
            r.QueryParameters.Select = ["id", "userPrincipalName"];
        });
        Assert.Equal(3, first!.Value!.Count);
        Assert.NotNull(first.OdataNextLink);

        var all = new List<User>();
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(client, first, u => { all.Add(u); return true; });
        await iterator.IterateAsync();
        Assert.Equal(7, all.Count);
        Assert.Equal(7, all.Select(u => u.Id).Distinct().Count());
    }

    [Fact]
    public async Task Reads_organization_groups_and_memberOf()
    {
        var client = Client;
        var org = await client.Organization.GetAsync();
        var o = Assert.Single(org!.Value!);
        Assert.Equal(TestData.TenantA, o.Id);
        Assert.Equal("Company ABC", o.DisplayName);
        Assert.Contains(o.VerifiedDomains!, d => d.Name == TestData.DomainA && d.IsDefault == true);
        Assert.Contains(o.VerifiedDomains!, d => d.IsInitial == true);

        var groups = await client.Groups.GetAsync();
        var g = Assert.Single(groups!.Value!);
        var members = await client.Groups[g.Id].Members.GetAsync();
        Assert.Equal(TestData.OrganizerA, Assert.IsType<User>(Assert.Single(members!.Value!)).UserPrincipalName);

        var memberOf = await client.Users[TestData.OrganizerA].MemberOf.GetAsync();
        Assert.Equal("Technicians", Assert.IsType<Group>(Assert.Single(memberOf!.Value!)).DisplayName);
    }

    [Fact]
    public async Task Unsupported_filter_is_a_bad_request()
    {
        var e = await Assert.ThrowsAsync<ODataError>(() => Client.Users.GetAsync(r => r.QueryParameters.Filter = "displayName gt 'a'"));
        Assert.Equal(400, e.ResponseStatusCode);
        Assert.Equal("Request_UnsupportedQuery", e.Error?.Code);
    }
}
