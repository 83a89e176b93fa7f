using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Generated requests against every RPC of the public services: random fields, boundary values, hostile strings,
/// undefined enum values, deep nesting. None may answer INTERNAL or UNKNOWN, and the host must stay healthy.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FuzzTests(ServerFixture fixture)
{
    private const int RequestsPerMethod = 150;

    private static readonly string[] Strings =
    [
        string.Empty, " ", "tenants/", "tenants/00000000-0000-0000-0000-000000000000", "operations/", "operations/" + new string('f', 32),
        "tenants/" + Guid.NewGuid(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString("N"), "\"7\"", "\"-1\"", "\"99999999999999999999\"",
        "display_name", "state", "meeting_settings", "license_plan", "*", "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>",
        "\u0000", "\u202e\u200b\ud83d\ude80", "\ud800", "Ω≈ç√∫˜µ≤≥÷", new string('x', 300), new string('y', 70_000), "djE6", "djE6dGVuYW50cy8",
        "contoso-msp", "a@b.c", "@", "%00", "\r\n", "null",
    ];

    private static readonly long[] Numbers = [0, 1, -1, 50, 1000, 1001, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue];

    public static TheoryData<string> Services => new() { "TenantService", "OperationService", "BulkOnboardingService", "BarrierService", "DirectoryService", "ServiceAccountService", "SessionService" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Generated_requests_never_get_an_internal_error(string serviceName)
    {
        var service = serviceName switch
        {
            "TenantService" => TenantService.Descriptor,
            "OperationService" => OperationService.Descriptor,
            "BarrierService" => BarrierService.Descriptor,
            "DirectoryService" => DirectoryService.Descriptor,
            "ServiceAccountService" => ServiceAccountService.Descriptor,
            "SessionService" => SessionService.Descriptor,
            _ => BulkOnboardingService.Descriptor,
        };
        var random = new Random(serviceName.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var invoker = fixture.Server.Invoker(fixture.Tokens.Writer("fuzz-partner"));
        var failures = new List<string>();
        var seen = new Dictionary<StatusCode, int>();

        foreach (var method in service.Methods)
        {
            for (var i = 0; i < RequestsPerMethod; i++)
            {
                var request = Generate(method.InputType, random, depth: 0);
                var status = await CallAsync(invoker, method, request);
                seen[status] = seen.GetValueOrDefault(status) + 1;
                if (status is StatusCode.Internal or StatusCode.Unknown or StatusCode.Unavailable)
                {
                    failures.Add($"{status}: {method.Name} #{i} ({request.CalculateSize()} bytes)");
                }
            }
        }

        Assert.Empty(failures);

        // The requests reached the handlers: every one was answered, most by validation.
        Assert.Equal(service.Methods.Count * RequestsPerMethod, seen.Values.Sum());
        Assert.True(seen.GetValueOrDefault(StatusCode.InvalidArgument) > seen.Values.Sum() / 2, string.Join(", ", seen));
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{fixture.Server.ManagementPort}/health/ready")).StatusCode);
    }

    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor method, IMessage request) =>
        (await DynamicCall.InvokeAsync(invoker, method, request))?.StatusCode ?? StatusCode.OK;

    private static IMessage Generate(MessageDescriptor descriptor, Random random, int depth)
    {
        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (random.Next(4) == 0)
            {
                continue;
            }

            var accessor = field.Accessor;
            if (field.IsMap)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)accessor.GetValue(message);
                var count = random.Next(4) == 0 ? random.Next(50) : random.Next(3);
                for (var i = 0; i < count; i++)
                {
                    if (Value(field, random, depth) is { } item)
                    {
                        list.Add(item);
                    }
                }

                continue;
            }

            if (Value(field, random, depth) is { } value)
            {
                accessor.SetValue(message, value);
            }
        }

        return message;
    }

    private static object? Value(FieldDescriptor field, Random random, int depth) => field.FieldType switch
    {
        FieldType.String => Strings[random.Next(Strings.Length)],
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Math.Clamp(Numbers[random.Next(Numbers.Length)], int.MinValue, int.MaxValue),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Numbers[random.Next(Numbers.Length)],
        FieldType.UInt32 or FieldType.Fixed32 => (uint)random.Next(),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)random.NextInt64(),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Double => random.NextDouble(),
        FieldType.Float => (float)random.NextDouble(),
        FieldType.Bytes => ByteString.CopyFrom(new byte[random.Next(16)]),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, random.Next(3) == 0 ? random.Next(-5, 100) : field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Number),
        FieldType.Message when depth < 4 && field.MessageType.ClrType is not null => Generate(field.MessageType, random, depth + 1),
        _ => null,
    };
}
