using System.Buffers.Binary;
using System.Net;
using Google.Rpc;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Requests that break below the handlers, sent as raw HTTP/2 gRPC frames over a real socket: bodies that are not a
/// protobuf message, strings that are not UTF-8, frames cut short or followed by garbage, messages over the size limit.
/// Each gets a status with a google.rpc.ErrorInfo (never UNKNOWN or INTERNAL), and the host stays ready. The bulk
/// method's limit fits the contract's own maximum.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WireEdgeTests(ServerFixture fixture)
{
    private const string GetTenant = "/raorchestrator.v1.TenantService/GetTenant";

    private readonly string _partner = TestIds.NewPartner();

    public static TheoryData<string, byte[]> MalformedBodies => new()
    {
        { "not protobuf", Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) },
        { "a length past the end", Frame([0x0A, 0x7F, 0x61]) },
        { "a string that is not UTF-8", Frame([0x0A, 0x02, 0xC3, 0x28]) },
        { "an unpaired surrogate as UTF-8", Frame([0x0A, 0x03, 0xED, 0xA0, 0x80]) },
        { "a frame cut short", [.. Frame([0x0A, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65]).AsSpan(0, 8)] },
        { "a header cut short", [0x00, 0x00, 0x00] },
        { "garbage after the message", [.. Frame([0x0A, 0x01, 0x61]), 0x01, 0x02] },
        { "a compressed flag without an encoding", [0x01, 0x00, 0x00, 0x00, 0x01, 0x00] },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_not_a_valid_message_is_invalid_argument_with_error_info(string what, byte[] body)
    {
        var (code, info, message) = await SendAsync(GetTenant, body);

        Assert.True(code == StatusCode.InvalidArgument, $"{what}: {code} {message}");
        Assert.NotNull(info);
        Assert.Equal("MALFORMED_REQUEST", info!.Reason);
        Assert.Equal("raorchestrator.dev", info.Domain);
        await AssertReadyAsync();
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_resource_exhausted_with_error_info_naming_the_limit()
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 2 * 1024 * 1024);
        var (code, info, message) = await SendAsync(GetTenant, [.. header, .. new byte[1000]]);

        Assert.Equal(StatusCode.ResourceExhausted, code);
        Assert.Equal("MESSAGE_TOO_LARGE", info?.Reason);
        Assert.Equal("1048576", info!.Metadata["limit_bytes"]);
        Assert.Contains("1048576", message, StringComparison.Ordinal);
        await AssertReadyAsync();
    }

    [Fact]
    public async Task A_typed_client_over_the_size_limit_gets_error_info_too()
    {
        var request = ReadyTenants.Create(TestIds.NewTenantId());
        request.Tenant.DisplayName = new string('x', 2 * 1024 * 1024);

        var ex = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(request));

        Assert.Equal("MESSAGE_TOO_LARGE", ex.Reason());
    }

    [Fact]
    public async Task The_largest_bulk_onboarding_the_contract_allows_is_received_and_validated()
    {
        // 5,000 tenants with 20,000 accounts in all, every id, name and UPN at its longest and in three-byte UTF-8, and
        // a 256-character department on every account: about 40 MB. The one wrong field is the last one, so the
        // INVALID_ARGUMENT naming it proves the whole message was received and read.
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 65 };
        var longName = new string('\u20ac', 256);
        for (var t = 0; t < 5_000; t++)
        {
            var tenant = new BulkTenant
            {
                TenantId = Guid.NewGuid().ToString(),
                Tenant = new Tenant
                {
                    DisplayName = longName,
                    MeetingSettings = ReadyTenants.Confirmed,
                    LicensePlan = new LicensePlan { RemoteAssistSkuId = Guid.NewGuid().ToString(), BarrierSuiteSkuId = Guid.NewGuid().ToString() },
                },
            };
            for (var a = 0; a < 4; a++)
            {
                var account = new BulkServiceAccount
                {
                    ServiceAccountId = $"{a}{new string('a', 62)}",
                    DisplayName = longName,
                    UserPrincipalName = $"{a}{new string('u', 50)}@{new string('d', 53)}.example", // 113 characters
                    UsageLocation = "DE",
                    BarrierLicense = true,
                };
                account.Attributes.Add("department", longName);
                tenant.ServiceAccounts.Add(account);
            }

            request.Tenants.Add(tenant);
        }

        Assert.True(request.CalculateSize() > 32 * 1024 * 1024, $"{request.CalculateSize()} bytes");
        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => bulk.StartBulkOnboardingAsync(request));

        Assert.Equal(["max_parallelism"], ex.ViolatedFields());
    }

    [Fact]
    public async Task Other_methods_keep_the_small_limit()
    {
        var request = ReadyTenants.Create(TestIds.NewTenantId());
        request.Tenant.DisplayName = new string('x', 1024 * 1024 + 1);

        var ex = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(request));

        Assert.Equal("MESSAGE_TOO_LARGE", ex.Reason());
    }

    private static byte[] Frame(byte[] message) => RawGrpc.Frame(message);

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task A_stranger_gets_no_large_bulk_limit_the_call_is_refused_before_its_body_is_read(string? token)
    {
        // 1 MiB of a frame that says 60 MiB, and then nothing: the body never ends. Reading it would wait for ever.
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 60 * 1024 * 1024);
        using var body = new NeverEndingContent([.. header, .. new byte[1024 * 1024]]);
        using var raw = new RawGrpc(fixture.Server.ApiPort);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await raw.SendAsync("/raorchestrator.v1.BulkOnboardingService/StartBulkOnboarding", body, token, deadline.Token);

        Assert.Equal(StatusCode.Unauthenticated, answer.Code);
        Assert.Equal("UNAUTHENTICATED", answer.Info?.Reason);
        await AssertReadyAsync();
    }

    /// <summary>Sends its bytes, then holds the request body open until the call is over.</summary>
    private sealed class NeverEndingContent(byte[] start) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(start, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private async Task<(StatusCode Code, ErrorInfo? Info, string Message)> SendAsync(string path, byte[] body)
    {
        using var raw = new RawGrpc(fixture.Server.ApiPort);
        var answer = await raw.SendAsync(path, body, fixture.Tokens.Writer(_partner));
        if (answer.Details is { } details)
        {
            Assert.Equal((int)answer.Code, details.Code);
        }

        return (answer.Code, answer.Info, answer.Message);
    }

    private async Task AssertReadyAsync()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{fixture.Server.ManagementPort}/health/ready")).StatusCode);
    }
}
