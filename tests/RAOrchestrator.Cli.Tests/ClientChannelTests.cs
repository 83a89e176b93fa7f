using System.Net;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

/// <summary>How the client library reads an address and decides which calls it may repeat.</summary>
public sealed class ClientChannelTests
{
    [Theory]
    [InlineData("api.msp.example:443", "https://api.msp.example/", true)]
    [InlineData("https://api.msp.example:8443", "https://api.msp.example:8443/", true)]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/", false)]
    [InlineData("dns:///raorchestrator-headless.msp.svc:443", "dns:///raorchestrator-headless.msp.svc:443", true)]
    public void One_endpoint_or_a_dns_name_is_read_with_its_transport(string text, string target, bool secure)
    {
        var address = ClientAddress.Parse(text);

        Assert.Equal((target, secure, text.StartsWith("dns:", StringComparison.Ordinal)), (address.Target.ToString(), address.Secure, address.Balanced));
        Assert.Empty(address.StaticEndpoints);
    }

    [Fact]
    public void A_static_list_names_every_endpoint_and_plaintext_is_asked_for_separately()
    {
        var address = ClientAddress.Parse("static:///10.0.0.7:5080, [::1]:5081,api.example:5082", plaintext: true);

        Assert.True(address.Balanced);
        Assert.False(address.Secure);
        Assert.Equal([new DnsEndPoint("10.0.0.7", 5080), new DnsEndPoint("::1", 5081), new DnsEndPoint("api.example", 5082)], address.StaticEndpoints);
        Assert.True(ClientAddress.Parse("dns:///localhost:5080").Secure);
        Assert.False(ClientAddress.Parse("dns:///localhost:5080", plaintext: true).Secure);
    }

    [Theory]
    [InlineData("dns:///no-port")]
    [InlineData("dns:///host:0")]
    [InlineData("static:///a:1,b")]
    [InlineData("static:///")]
    [InlineData("ftp://host:21")]
    [InlineData("https://host:443/path")]
    public void Anything_else_is_refused_with_the_forms_that_work(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => ClientAddress.Parse(text));

        Assert.Contains("dns:///host:port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plaintext_cannot_be_asked_for_an_https_address()
    {
        Assert.Throws<ArgumentException>(() => ClientAddress.Parse("https://api.example:443", plaintext: true));
    }

    [Fact]
    public void Every_method_of_the_contract_is_either_repeated_on_UNAVAILABLE_because_it_reads_or_has_a_request_id_or_deliberately_not()
    {
        var methods = RetriedMethods.Services.SelectMany(s => s.Methods).ToArray();

        foreach (var method in methods)
        {
            var classes = new[] { RetriedMethods.Reads.Contains(method.Name), RetriedMethods.RequestIdField(method) is not null, RetriedMethods.NotRepeated.Contains(method.Name) };
            Assert.True(classes.Count(c => c) == 1, $"{method.FullName} must be exactly one of: a read, a mutation with request_id, not repeated");
        }

        Assert.Subset(methods.Select(m => m.Name).ToHashSet(), RetriedMethods.Reads.Union(RetriedMethods.NotRepeated).ToHashSet());
        Assert.Contains(("raorchestrator.v1.TenantService", "CreateTenant"), RetriedMethods.All());
        Assert.Contains(("raorchestrator.v1.SessionService", "WatchSession"), RetriedMethods.All());
        Assert.DoesNotContain(("raorchestrator.v1.SessionService", "AdmitParticipant"), RetriedMethods.All());
    }

    [Fact]
    public void A_mutation_without_a_request_id_is_sent_as_a_copy_with_a_new_one_and_a_given_id_is_kept()
    {
        var request = new CreateTenantRequest { TenantId = "t" };
        var given = new CreateTenantRequest { RequestId = "mine", TenantId = "t" };
        var read = new GetTenantRequest { Name = "tenants/t" };

        var filled = RequestIdFilling.Filled(request);
        var again = RequestIdFilling.Filled(request);

        Assert.Empty(request.RequestId);
        Assert.True(Guid.TryParse(filled.RequestId, out _), filled.RequestId);
        Assert.NotEqual(filled.RequestId, again.RequestId);
        Assert.Equal("t", filled.TenantId);
        Assert.Same(given, RequestIdFilling.Filled(given));
        Assert.Same(read, RequestIdFilling.Filled(read));
    }

    [Fact]
    public void Bulk_onboarding_is_sent_as_given_because_its_request_id_names_the_operation_and_is_required()
    {
        var bulk = new StartBulkOnboardingRequest();

        Assert.Same(bulk, RequestIdFilling.Filled(bulk));
    }
}
