using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Generated requests against every RPC of the public services, sent as the owner of an ACTIVE tenant that has service
/// accounts, segments, policies and sessions, so they get past NOT_FOUND: half of the string fields carry a value that
/// fits the field (the tenant's name, a session's name, a new id, a UPN in the tenant's domain), some of them with one
/// part replaced by a generated value; the rest random fields, boundary numbers, hostile strings, undefined enum
/// values. Then bytes on the wire for every method: cut short, bits flipped, a string that is not UTF-8, unknown
/// fields, huge repeated fields. None may answer INTERNAL or UNKNOWN, every error carries a google.rpc.ErrorInfo, and the host
/// stays healthy. The seed is printed; set RAORCH_FUZZ_SEED to replay a run.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FuzzTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int RequestsPerMethod = 150;
    private const int Parallelism = 8;

    private static readonly string[] Strings =
    [
        string.Empty, " ", "tenants/", "tenants/00000000-0000-0000-0000-000000000000", "operations/", "operations/" + new string('f', 32),
        "\"7\"", "\"-1\"", "\"99999999999999999999\"", "display_name", "state", "meeting_settings", "license_plan", "*", "../../etc/passwd",
        "' OR 1=1 --", "<script>alert(1)</script>", "\u0000", "\u202e\u200b\ud83d\ude80", "\ud800", "Ω≈ç√∫˜µ≤≥÷", new string('x', 300),
        new string('y', 70_000), "djE6", "djE6dGVuYW50cy8", "contoso-msp", "a@b.c", "@", "%00", "\r\n", "null", ".", "..", ".hidden", "-", "_",
        "user:", "guest:", "user:x/y", "guest:a@b.c", "Department -eq", "(((", "\u00e9", "A", "a-b", new string('a', 64), new string('a', 65),
    ];

    private static readonly long[] Numbers =
        [0, 1, -1, 50, 1000, 1001, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 253_402_300_800, -62_135_596_801, 1_000_000_000, 999_999_999];

    private static readonly ServiceDescriptor[] Services =
    [
        TenantService.Descriptor, OperationService.Descriptor, BulkOnboardingService.Descriptor, BarrierService.Descriptor,
        DirectoryService.Descriptor, ServiceAccountService.Descriptor, SessionService.Descriptor,
    ];

    [Fact]
    public async Task Generated_requests_as_a_tenant_owner_never_get_an_internal_error_and_every_error_carries_error_info()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RAORCH_FUZZ_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"Fuzz seed {seed} (replay with RAORCH_FUZZ_SEED={seed})");
        var world = await World.CreateAsync(fixture, TestIds.NewPartner());
        var random = new Random(seed);
        var cases = new List<(MethodDescriptor Method, int Index, IMessage Request)>();
        foreach (var method in Services.SelectMany(s => s.Methods))
        {
            for (var i = 0; i < RequestsPerMethod; i++)
            {
                // A third each: every field a coin toss between fitting and generated; nearly every field fitting;
                // every field fitting. The last two get past validation to the grains and the directory.
                var plausibility = (i % 3) switch { 0 => 0.5, 1 => 0.9, _ => 1.0 };
                cases.Add((method, i, new Generator(random, world, method, plausibility).Message(method.InputType, depth: 0)));
            }
        }

        var wire = Services.SelectMany(s => s.Methods).SelectMany(m => WireCases(m, random, world)).ToList();
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<StatusCode, int>();
        var reasons = new ConcurrentDictionary<string, int>();
        var invoker = fixture.Server.Invoker(world.Token);

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (c, _) =>
        {
            var ex = await DynamicCall.InvokeAsync(invoker, c.Method, c.Request, TimeSpan.FromSeconds(3));
            var code = ex?.StatusCode ?? StatusCode.OK;
            seen.AddOrUpdate(code, 1, (_, n) => n + 1);
            if (ex?.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>() is { } info)
            {
                reasons.AddOrUpdate($"{code}/{info.Reason}", 1, (_, n) => n + 1);
            }

            if (Problem(code, ex?.GetRpcStatus()) is { } problem)
            {
                failures.Enqueue($"{problem}: {c.Method.Name} #{c.Index} {ex?.Status.Detail} request {Describe(c.Request)}");
            }
        });

        using var raw = new RawGrpc(fixture.Server.ApiPort);
        await Parallel.ForEachAsync(wire, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (c, _) =>
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            RawGrpc.Answer answer;
            try
            {
                answer = await raw.SendAsync($"/{c.Method.Service.FullName}/{c.Method.Name}", c.Body, world.Token, deadline.Token);
            }
            catch (OperationCanceledException) when (c.Method.IsServerStreaming)
            {
                return; // a watch that was accepted and is still running
            }

            seen.AddOrUpdate(answer.Code, 1, (_, n) => n + 1);
            if (Problem(answer.Code, answer.Details) is { } problem)
            {
                failures.Enqueue($"{problem}: {c.Method.Name} wire case '{c.What}': {answer.Message}");
            }
        });

        output.WriteLine($"{cases.Count} generated and {wire.Count} wire-level requests: {string.Join(", ", seen.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}");
        output.WriteLine($"Reasons of the generated requests: {string.Join(", ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))}");
        Assert.True(failures.IsEmpty, $"seed {seed}: {failures.Count} failures, first ones:\n{string.Join("\n", failures.Take(200))}");

        // The requests reached the code beyond validation: some succeeded, some were refused for the state they met.
        Assert.True(seen.GetValueOrDefault(StatusCode.OK) > 0, string.Join(", ", seen));
        Assert.True(seen.GetValueOrDefault(StatusCode.InvalidArgument) > 0, string.Join(", ", seen));
        var health = new global::Grpc.Health.V1.Health.HealthClient(fixture.Server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{fixture.Server.ManagementPort}/health/ready")).StatusCode);
    }

    /// <summary>What is wrong with an answer, or null: INTERNAL, UNKNOWN and UNAVAILABLE are wrong, so is an error without ErrorInfo.</summary>
    private static string? Problem(StatusCode code, Google.Rpc.Status? details)
    {
        if (code is StatusCode.Internal or StatusCode.Unknown or StatusCode.Unavailable)
        {
            return code.ToString();
        }

        if (code is StatusCode.OK or StatusCode.Cancelled or StatusCode.DeadlineExceeded)
        {
            return null;
        }

        var info = details?.Details.FirstOrDefault(d => d.Is(Google.Rpc.ErrorInfo.Descriptor))?.Unpack<Google.Rpc.ErrorInfo>();
        return info is { Domain: "raorchestrator.dev" } && System.Text.RegularExpressions.Regex.IsMatch(info.Reason, "^[A-Z][A-Z0-9_]*$")
            ? null
            : $"{code} without ErrorInfo";
    }

    private static string Describe(IMessage request)
    {
        string text;
        try
        {
            text = JsonFormatter.Default.Format(request);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // An unpaired surrogate or a timestamp out of range has no JSON form.
            text = "base64:" + request.ToByteString().ToBase64();
        }

        return text.Length > 400 ? text[..400] + "..." : text;
    }

    /// <summary>Bytes no generated client sends: a plausible message cut short, with a string that is not UTF-8, with unknown fields, with a huge repeated field.</summary>
    private static IEnumerable<(MethodDescriptor Method, string What, byte[] Body)> WireCases(MethodDescriptor method, Random random, World world)
    {
        var valid = new Generator(random, world, method, plausibility: 1.0).Message(method.InputType, depth: 0).ToByteArray();
        if (valid.Length > 1)
        {
            yield return (method, "message cut short", RawGrpc.Frame(valid.AsSpan(0, random.Next(1, valid.Length))));
            yield return (method, "frame cut short", RawGrpc.Frame(valid)[..^1]);
        }

        yield return (method, "garbage after the frame", [.. RawGrpc.Frame(valid), 0x00, 0x00]);
        yield return (method, "unknown fields", RawGrpc.Frame([.. valid, 0xC0, 0x3E, 0x01, 0xCA, 0x3E, 0x02, 0x68, 0x69]));
        yield return (method, "random bytes", RawGrpc.Frame(Bytes(random, random.Next(1, 64))));
        for (var i = 0; i < 10 && valid.Length > 0; i++)
        {
            var flipped = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            }

            yield return (method, $"bits flipped #{i}", RawGrpc.Frame(flipped));
        }
        if (method.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String) is { } text)
        {
            yield return (method, $"{text.Name} not UTF-8", RawGrpc.Frame([.. Tag(text.FieldNumber, 2), 0x03, 0xE2, 0x28, 0xA1, .. valid]));
        }

        if (method.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.IsRepeated && f.FieldType == FieldType.String) is { } list)
        {
            var huge = new List<byte>(valid);
            for (var i = 0; i < 100_000; i++)
            {
                huge.AddRange(Tag(list.FieldNumber, 2));
                huge.Add(1);
                huge.Add((byte)'a');
            }

            yield return (method, $"{list.Name} with 100,000 entries", RawGrpc.Frame(huge.ToArray()));
        }
    }

    private static byte[] Tag(int field, int wireType)
    {
        var value = (uint)((field << 3) | wireType);
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>What the fuzzing partner owns: an ACTIVE tenant with accounts, segments, policies and sessions, and a second tenant it may lose.</summary>
    private sealed record World(string Token, string Tenant, string TenantId, string Domain, string Spare, string Technician,
        string[] Accounts, string[] Segments, string[] Policies, string[] Sessions, string[] Operations)
    {
        public static async Task<World> CreateAsync(ServerFixture fixture, string partner)
        {
            var people = new SessionWorld(fixture, partner);
            var tenant = await people.TenantAsync();
            var spare = await people.TenantAsync();
            var invoker = fixture.Server.Invoker(fixture.Tokens.Writer(partner));
            var accounts = new ServiceAccountService.ServiceAccountServiceClient(invoker);
            var barriers = new BarrierService.BarrierServiceClient(invoker);
            var accountNames = new List<string>();
            foreach (var id in new[] { "fuzz-a", "fuzz-b" })
            {
                var created = await accounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
                {
                    RequestId = TestIds.NewRequestId(),
                    Parent = tenant.Name,
                    ServiceAccountId = id,
                    ServiceAccount = new ServiceAccount { DisplayName = "Fuzz " + id, UserPrincipalName = $"{id}@{tenant.Domain}", UsageLocation = "DE" },
                });
                accountNames.Add(created.ServiceAccount.Name);
            }

            var segments = new List<string>();
            foreach (var id in new[] { "Vendors", "Technicians" })
            {
                var created = await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant.Name, SegmentId = id, Segment = new Segment { UserGroupFilter = $"Department -eq '{id}'" } });
                segments.Add(created.Segment.Name);
            }

            var policy = await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
            {
                Parent = tenant.Name,
                BarrierPolicyId = "vendors-allow",
                BarrierPolicy = new Proto { AssignedSegment = "Vendors", Kind = Proto.Types.Kind.Allow, Segments = { "Vendors", "Technicians" }, State = Proto.Types.State.Active },
            });

            var sessions = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var created = await people.Sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician, SessionWorld.Guest($"erin{i}@example.com")));
                sessions.Add(created.Session.Name);
            }

            var operations = (await fixture.Server.Operations(fixture.Tokens.Reader(partner)).ListOperationsAsync(new ListOperationsRequest())).Operations.Select(o => o.Name).ToArray();
            return new World(fixture.Tokens.Writer(partner), tenant.Name, tenant.TenantId, tenant.Domain, spare.Name, tenant.Technician,
                [.. accountNames], [.. segments], [policy.BarrierPolicy.Name], [.. sessions], operations);
        }
    }

    /// <summary>Builds one request of a method: each field fits the method with probability <paramref name="plausibility"/>, else is generated.</summary>
    private sealed class Generator(Random random, World world, MethodDescriptor method, double plausibility)
    {
        public IMessage Message(MessageDescriptor descriptor, int depth)
        {
            var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
            if (descriptor.FullName == Timestamp.Descriptor.FullName && Plausible())
            {
                return Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(random.Next(-60, 600)));
            }

            if (descriptor.FullName == Duration.Descriptor.FullName && Plausible())
            {
                return Duration.FromTimeSpan(TimeSpan.FromSeconds(random.Next(1, 3600)));
            }

            foreach (var field in descriptor.Fields.InFieldNumberOrder())
            {
                if (!Plausible() && random.Next(2) == 0)
                {
                    continue;
                }

                if (field.IsMap)
                {
                    var map = (IDictionary)field.Accessor.GetValue(message);
                    for (var i = random.Next(3); i > 0; i--)
                    {
                        var key = Plausible() ? (random.Next(2) == 0 ? "department" : "companyName") : Strings[random.Next(Strings.Length)];
                        map[key] = Value(field.MessageType.FindFieldByNumber(2), depth) ?? string.Empty;
                    }

                    continue;
                }

                if (field.IsRepeated)
                {
                    var list = (IList)field.Accessor.GetValue(message);
                    var count = Plausible() ? random.Next(1, 3) : random.Next(5) == 0 ? random.Next(1000, 6000) : random.Next(50);
                    for (var i = 0; i < count && (field.FieldType != FieldType.Message || i < 60); i++)
                    {
                        if (Value(field, depth) is { } item)
                        {
                            list.Add(item);
                        }
                    }

                    continue;
                }

                if (Value(field, depth) is { } value)
                {
                    field.Accessor.SetValue(message, value);
                }
            }

            return message;
        }

        private bool Plausible() => random.NextDouble() < plausibility;

        private object? Value(FieldDescriptor field, int depth) => field.FieldType switch
        {
            FieldType.String => Plausible() && Fitting(field) is { } fitting ? Mutate(fitting) : Strings[random.Next(Strings.Length)],
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Plausible() ? random.Next(0, 101) : (int)Math.Clamp(Numbers[random.Next(Numbers.Length)], int.MinValue, int.MaxValue),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Plausible() ? random.Next(0, 101) : Numbers[random.Next(Numbers.Length)],
            FieldType.UInt32 or FieldType.Fixed32 => (uint)random.Next(),
            FieldType.UInt64 or FieldType.Fixed64 => (ulong)random.NextInt64(),
            FieldType.Bool => random.Next(2) == 0,
            FieldType.Double => random.NextDouble(),
            FieldType.Float => (float)random.NextDouble(),
            FieldType.Bytes => ByteString.CopyFrom(Bytes(random, random.Next(16))),
            FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, Plausible() || random.Next(3) != 0
                ? field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Number
                : random.Next(-5, 100)),
            FieldType.Message when depth < 4 && field.MessageType.ClrType is not null => Message(field.MessageType, depth + 1),
            _ => null,
        };

        /// <summary>Some fitting values (as many as fields are generated) get one of their parts replaced by a generated string.</summary>
        private string Mutate(string value)
        {
            if (Plausible())
            {
                return value;
            }

            var parts = value.Split('/');
            parts[random.Next(parts.Length)] = Strings[random.Next(Strings.Length)];
            return string.Join('/', parts);
        }

        private string Pick(string[] values) => values.Length == 0 ? string.Empty : values[random.Next(values.Length)];

        private string NewId() => "fz-" + random.Next(1_000_000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>A value that fits the field in this method, or null when the field has no obvious one.</summary>
        private string? Fitting(FieldDescriptor field) => field.Name switch
        {
            "parent" => world.Tenant,
            "name" => ResourceFor(field.ContainingType.Name),
            "request_id" => Guid.NewGuid().ToString(),
            "tenant_id" when field.ContainingType.Name == "FederatedUser" => world.TenantId,
            "tenant_id" => random.Next(2) == 0 ? world.TenantId : Guid.NewGuid().ToString(),
            "external_access_allowed_tenants" => Guid.NewGuid().ToString(),
            "user_id" or "searcher" or "user_a" or "user_b" => random.Next(3) == 0 ? Guid.NewGuid().ToString() : world.Technician,
            "session_id" or "service_account_id" or "segment_id" or "barrier_policy_id" => NewId(),
            "participant_id" => random.Next(2) == 0 ? $"user:{world.TenantId}/{world.Technician}" : $"guest:erin{random.Next(3)}@example.com",
            "email" => $"erin{random.Next(3)}@example.com",
            "display_name" => "Fuzz Person",
            "user_principal_name" => $"{NewId()}@{world.Domain}",
            "usage_location" => "DE",
            "user_group_filter" => "Department -eq 'Vendors'",
            "assigned_segment" or "segments" => random.Next(2) == 0 ? Pick(world.Segments) : Pick(world.Segments).Split('/')[^1],
            "subject" => "Pump P-17",
            "query" => "han",
            "etag" => $"\"{random.Next(0, 5)}\"",
            "page_token" => string.Empty,
            "paths" => Pick(["display_name", "meeting_settings", "license_plan", "external_access_allowed_tenants", "attributes", "usage_location"]),
            "remote_assist_sku_id" or "barrier_suite_sku_id" => Guid.NewGuid().ToString(),
            _ => null,
        };

        /// <summary>The name of a resource this method works on; a tenant delete aims at the spare tenant, never the one the run needs.</summary>
        private string ResourceFor(string message) => (method.Name, message) switch
        {
            ("DeleteTenant", _) => world.Spare,
            (_, "Segment") or (_, "GetSegmentRequest") or (_, "DeleteSegmentRequest") => Pick(world.Segments),
            (_, "BarrierPolicy") or (_, "GetBarrierPolicyRequest") or (_, "DeleteBarrierPolicyRequest") => Pick(world.Policies),
            (_, "ServiceAccount") => Pick(world.Accounts),
            (var m, _) when m.Contains("ServiceAccount", StringComparison.Ordinal) => Pick(world.Accounts),
            (var m, _) when m.Contains("Operation", StringComparison.Ordinal) => Pick(world.Operations),
            (var m, _) when m.Contains("Session", StringComparison.Ordinal) || m.Contains("Participant", StringComparison.Ordinal) || m.Contains("JoinTicket", StringComparison.Ordinal) => Pick(world.Sessions),
            _ => world.Tenant,
        };
    }
}
