using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class BatchTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    internal static async Task<HttpClient> AuthorizedClient(GraphEmulatorServer server, string tenant = TestData.TenantA)
    {
        var token = await server.CreateCredential(tenant, TestData.AppId, TestData.AppSecret)
            .GetTokenAsync(new TokenRequestContext([GraphEmulatorServer.GraphScope]), default);
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return http;
    }

    [Fact]
    public async Task Sdk_batch_of_45_user_creations_goes_as_3_batches()
    {
        var client = fixture.Server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);
        await client.Organization.GetAsync(); // token first, so counters below are about the batch only
        var before = fixture.Server.State.Counters.ForTenant(TestData.TenantA);

        var batch = new BatchRequestContentCollection(client);
        var ids = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            var info = client.Users.ToPostRequestInformation(DirectoryTests.NewUser($"batch{i}"));
            ids.Add(await batch.AddBatchRequestStepAsync(info));
        }
        var response = await client.Batch.PostAsync(batch);

        var statuses = await response.GetResponsesStatusCodesAsync();
        Assert.Equal(45, statuses.Count);
        Assert.All(statuses.Values, s => Assert.Equal(System.Net.HttpStatusCode.Created, s));
        var user = await response.GetResponseByIdAsync<User>(ids[17]);
        Assert.Equal($"batch17@{TestData.DomainA}", user.UserPrincipalName);

        var after = fixture.Server.State.Counters.ForTenant(TestData.TenantA);
        Assert.Equal(3, after.BatchCalls - before.BatchCalls);
        Assert.Equal(45, after.InnerBatchRequests - before.InnerBatchRequests);
        Assert.Equal(3, after.Requests - before.Requests);
    }

    [Fact]
    public async Task More_than_20_requests_in_one_batch_is_refused()
    {
        using var http = await AuthorizedClient(fixture.Server);
        var requests = new JsonArray();
        for (var i = 0; i < 21; i++)
        {
            requests.Add(new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = "/organization" });
        }

        var response = await http.PostAsync("v1.0/$batch", Json(new JsonObject { ["requests"] = requests }));
        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("BadRequest", (string?)error["code"]);
        Assert.NotNull(error["innerError"]?["request-id"]);
    }

    [Fact]
    public async Task DependsOn_orders_requests_and_a_failed_dependency_gives_424()
    {
        using var http = await AuthorizedClient(fixture.Server);
        var body = new JsonObject
        {
            ["requests"] = new JsonArray(
                new JsonObject { ["id"] = "2", ["method"] = "GET", ["url"] = $"/users/dep1@{TestData.DomainA}?$select=id", ["dependsOn"] = new JsonArray("1") },
                new JsonObject
                {
                    ["id"] = "1",
                    ["method"] = "POST",
                    ["url"] = "/users",
                    ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                    ["body"] = new JsonObject
                    {
                        ["accountEnabled"] = true,
                        ["displayName"] = "Dep 1",
                        ["mailNickname"] = "dep1",
                        ["userPrincipalName"] = $"dep1@{TestData.DomainA}",
                        ["passwordProfile"] = new JsonObject { ["password"] = "P@ssw0rd-emulator!" },
                    },
                },
                new JsonObject { ["id"] = "3", ["method"] = "GET", ["url"] = "/users/nobody@companyabc.test" },
                new JsonObject { ["id"] = "4", ["method"] = "GET", ["url"] = "/organization", ["dependsOn"] = new JsonArray("3") }),
        };
        var response = await http.PostAsync("v1.0/$batch", Json(body));
        response.EnsureSuccessStatusCode();
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responses"]!.AsArray()
            .ToDictionary(r => (string)r!["id"]!, r => r!);
        Assert.Equal(201, (int)results["1"]["status"]!);
        Assert.Equal(200, (int)results["2"]["status"]!);
        Assert.Equal(404, (int)results["3"]["status"]!);
        Assert.Equal(424, (int)results["4"]["status"]!);
    }

    internal static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}
