using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The hostile inputs of issue 7, each aimed where it hurts: oversized messages, huge page sizes, deeply nested and
/// malformed barrier filters, unicode edge cases in names and addresses. Each gets a clear error (never INTERNAL or
/// UNKNOWN, no internals in the message) and the host stays ready. Tokens with alg none or a foreign key are in
/// <see cref="AuthenticationTests"/>, replayed join tickets in <see cref="SessionTests"/>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HostileInputTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();

    private CallInvoker Writer => fixture.Server.Invoker(fixture.Tokens.Writer(_partner));

    public static TheoryData<string> Filters => new()
    {
        new string('(', 10_000) + "Department -eq 'x'" + new string(')', 10_000),
        new string('(', 33) + "Department -eq 'x'" + new string(')', 33),
        string.Join(" -or ", Enumerable.Repeat("Department -eq 'x'", 400)),
        "Department -eq",
        "Department -eq 'x' -and",
        "Department -eq 'unterminated",
        "NoSuchAttribute -eq 'x'",
        "Department -like 'x*'",
        "(Department -eq 'x'",
        "Department -eq 'x')",
        "\u0000Department -eq 'x'",
        "Department -eq 'x'\u202e",
        "-and -or ( ) ' '",
    };

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_as_resource_exhausted_and_the_host_stays_ready()
    {
        var request = ReadyTenants.Create(TestIds.NewTenantId());
        request.Tenant.DisplayName = new string('x', 2 * 1024 * 1024);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await new TenantService.TenantServiceClient(Writer).CreateTenantAsync(request));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("message", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
        await AssertReadyAsync();
    }

    [Fact]
    public async Task A_huge_page_size_is_invalid_in_every_list_method_and_names_page_size()
    {
        var methods = new[] { TenantService.Descriptor, OperationService.Descriptor, BarrierService.Descriptor, DirectoryService.Descriptor, ServiceAccountService.Descriptor, SessionService.Descriptor }
            .SelectMany(s => s.Methods)
            .Where(m => m.InputType.FindFieldByName("page_size") is not null)
            .ToArray();
        Assert.True(methods.Length >= 7, $"only {methods.Length} list methods found");

        foreach (var method in methods)
        {
            foreach (var size in new[] { int.MaxValue, 1001, -1, int.MinValue })
            {
                var request = (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
                method.InputType.FindFieldByName("page_size").Accessor.SetValue(request, size);
                var ex = await DynamicCall.InvokeAsync(Writer, method, request);
                Assert.True(ex is { StatusCode: StatusCode.InvalidArgument }, $"{method.Name} page_size {size}: {ex?.StatusCode.ToString() ?? "OK"}");
                Assert.Contains("page_size", ex!.ViolatedFields());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_deeply_nested_or_malformed_barrier_filter_is_invalid_and_names_the_filter(string filter)
    {
        var tenant = await OnboardAsync();
        var barriers = new BarrierService.BarrierServiceClient(Writer);

        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => barriers.CreateSegmentAsync(new CreateSegmentRequest
        {
            RequestId = TestIds.NewRequestId(),
            Parent = tenant,
            SegmentId = "hostile",
            Segment = new Segment { UserGroupFilter = filter },
        }));

        Assert.Contains("segment.user_group_filter", ex.ViolatedFields());
        Assert.DoesNotContain("Exception", ex.Status.Detail, StringComparison.Ordinal);
        Assert.True(ex.Status.Detail.Length < 2_000, "the error echoes the whole input back");
        await AssertReadyAsync();
    }

    [Fact]
    public async Task Unicode_edge_cases_in_names_are_kept_exactly_or_refused_as_invalid()
    {
        var tenant = await OnboardAsync();
        var tenants = new TenantService.TenantServiceClient(Writer);
        string[] names =
        [
            "Caf\u00e9 Zo\u00eb", "Cafe\u0301 Zoe\u0308", "\u202eevil\u202c", "a\u200bb\u200dc\ufeff", "\ud83d\ude80\ud83d\udc69\u200d\ud83d\udd27",
            string.Concat(Enumerable.Repeat("\ud83d\ude80", 128)), string.Concat(Enumerable.Repeat("\ud83d\ude80", 129)), "\ufffe\uffff", "\u0000",
            "\u0085next line", "x\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u3000", "   ",
        ];

        foreach (var name in names)
        {
            try
            {
                var updated = (await tenants.UpdateTenantAsync(new UpdateTenantRequest
                {
                    RequestId = TestIds.NewRequestId(),
                    Tenant = new Tenant { Name = tenant, DisplayName = name },
                    UpdateMask = new FieldMask { Paths = { "display_name" } },
                })).Tenant;
                var read = (await tenants.GetTenantAsync(new GetTenantRequest { Name = tenant })).Tenant;
                Assert.Equal(name, updated.DisplayName);
                Assert.Equal(name, read.DisplayName);
            }
            catch (RpcException ex)
            {
                Assert.True(ex.StatusCode == StatusCode.InvalidArgument, $"{Escape(name)}: {ex.StatusCode} {ex.Status.Detail}");
                Assert.Contains("tenant.display_name", ex.ViolatedFields());
            }
        }
    }

    [Fact]
    public async Task Unicode_edge_cases_in_addresses_get_a_clear_answer_and_never_an_internal_error()
    {
        var tenant = await OnboardAsync();
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(Writer);
        var sessions = new SessionService.SessionServiceClient(Writer);
        string[] addresses =
        [
            "m\u00fcller@b\u00fccher.example", "vendor@xn--bcher-kva.example", "\u202evendor@evil.example", "vendor\u200b@t.example",
            "a@b", "@t.example", "vendor@", "vendor@@t.example", "\"quoted user\"@t.example", "vendor@[127.0.0.1]", "ve ndor@t.example",
            new string('v', 300) + "@t.example", "vendor@t.example\r\nBcc: all@t.example", "\ud83d\ude80@t.example", "\u0000@t.example",
        ];
        var answers = new Dictionary<StatusCode, int>();

        foreach (var address in addresses)
        {
            var ex = await Catch(accounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
            {
                RequestId = TestIds.NewRequestId(),
                Parent = tenant,
                ServiceAccountId = "sa-" + Guid.NewGuid().ToString("N")[..8],
                ServiceAccount = new ServiceAccount { DisplayName = "Vendor", UserPrincipalName = address, UsageLocation = "DE" },
            }).ResponseAsync);
            Record(address, ex);

            var session = SessionWorld.Schedule(new OnboardedTenant(tenant, tenant["tenants/".Length..], "t.example"), Guid.NewGuid().ToString(), SessionWorld.Guest(address));
            Record(address, await Catch(sessions.CreateSessionAsync(session).ResponseAsync));
        }

        Assert.True(answers.GetValueOrDefault(StatusCode.InvalidArgument) >= addresses.Length, string.Join(", ", answers));
        await AssertReadyAsync();

        void Record(string address, RpcException? ex)
        {
            var code = ex?.StatusCode ?? StatusCode.OK;
            answers[code] = answers.GetValueOrDefault(code) + 1;
            Assert.False(code is StatusCode.Internal or StatusCode.Unknown or StatusCode.Unavailable, $"{Escape(address)}: {code} {ex?.Status.Detail}");
        }
    }

    private static async Task<RpcException?> Catch<T>(Task<T> call)
    {
        try
        {
            await call;
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    private async Task<string> OnboardAsync()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await new TenantService.TenantServiceClient(Writer).CreateTenantAsync(ReadyTenants.Create(tenantId));
        await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(created.Operation.Name);
        return created.Tenant.Name;
    }

    private async Task AssertReadyAsync()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{fixture.Server.ManagementPort}/health/ready")).StatusCode);
    }

    private static string Escape(string value) => string.Concat(value.Take(40).Select(c => c < 0x20 || c > 0x7e ? $"\\u{(int)c:x4}" : c.ToString()));
}
