using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Barriers;

/// <summary>
/// A tenant's barrier configuration (key <c>tenants/{tenant}/barriers</c>) and its apply: read the users, compile,
/// store the compiled version in parts (<see cref="BarrierPartGrain"/>), publish it in one state write. The apply runs
/// in an interleaving timer so the configuration stays readable and checks keep answering from the previous version;
/// a reminder restarts an apply a crash interrupted (it starts over: publishing is its only effect that counts).
/// </summary>
[GrainType("barriers")]
public sealed partial class BarrierGrain(
    [PersistentState("barriers", StorageNames.State)] IPersistentState<BarrierState> state,
    IDirectoryGateway directory,
    TimeProvider time,
    ILogger<BarrierGrain> logger) : Grain, IBarrierGrain, IRemindable
{
    private const int MaxProcessed = 256;
    private const string Reminder = "apply";
    private const string ReadUsers = "read-users";
    private const string Compile = "compile";
    private const string Store = "store-version";
    private const string Publish = "publish";

    private readonly SemaphoreSlim _writes = new(1, 1);
    private WorkflowRunner? _runner;

    private BarrierState State => state.State;

    /// <summary>Runs the apply in a timer that interleaves with calls: one at a time, started over by its reminder after a crash.</summary>
    private WorkflowRunner Runner => _runner ??= new(this, Reminder, ApplyAsync, interleave: true);

    private string TenantName => this.GetPrimaryKeyString()[..^"/barriers".Length];

    private string TenantId => TenantName[(ResourceName.TenantsCollection.Length + 1)..];

    public static string PartKey(string tenantName, long version, string part) => $"{tenantName}/barrierVersions/{version}/{part}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Apply is not null)
        {
            Runner.Kick();
        }

        return Task.CompletedTask;
    }

    public Task<BarrierConfigView> GetAsync() => Task.FromResult(View());

    public Task<PublishedBarriers?> GetPublishedAsync() => Task.FromResult(State.Published);

    public async Task<BarrierChange> ChangeAsync(string partnerId, BarrierCommand command)
    {
        var key = RequestKey.Of(partnerId, command.RequestId);
        if (Answers.Find(State.Processed, key) is { Result: { } earlier })
        {
            return earlier;
        }

        if (command.ExpectedVersion is { } expected && expected != State.Version)
        {
            throw OrchestratorException.EtagMismatch(this.GetPrimaryKeyString());
        }

        var configuration = State.Configuration;
        var result = command.Kind switch
        {
            BarrierCommandKind.CreateSegment => configuration.AddSegment(command.Segment!.Name, command.Segment.UserGroupFilter),
            BarrierCommandKind.UpdateSegment => configuration.UpdateSegment(command.Segment!.Name, command.Segment),
            BarrierCommandKind.DeleteSegment => configuration.RemoveSegment(command.Name!),
            BarrierCommandKind.CreatePolicy => configuration.AddPolicy(command.Policy!),
            BarrierCommandKind.UpdatePolicy => configuration.UpdatePolicy(command.Policy!.Name, command.Policy),
            BarrierCommandKind.DeletePolicy => configuration.RemovePolicy(command.Name!),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        if (result.Value is null || result.Violations.Any(v => v.Severity == BarrierSeverity.Error))
        {
            throw BarrierErrors.From(result.Violations.First(v => v.Severity == BarrierSeverity.Error));
        }

        EnsureFits(result.Value);
        State.Configuration = result.Value;
        State.Version++;
        var change = new BarrierChange(View(), result.Violations.Where(v => v.Severity == BarrierSeverity.Warning).ToArray());
        if (key is not null)
        {
            Answers.Add(State.Processed, (key, change));
        }

        await WriteAsync();
        return change;
    }

    public async Task<OperationView> StartApplyAsync(string partnerId, string requestId)
    {
        var key = RequestKey.Of(partnerId, requestId);
        var earlier = ApplyAnswers.Find(State.Applies, key).OperationId;
        if (earlier is not null && earlier != State.Apply?.OperationId)
        {
            return await OperationView(partnerId, earlier);
        }

        if (State.Apply is { } running)
        {
            // One apply at a time; asking again (or retrying the request that started it) joins the running one.
            return running.PartnerId == partnerId ? await EnsureApplyStartedAsync(running) : throw OrchestratorException.NotFound(ResourceName.Operation(running.OperationId));
        }

        State.LastVersion = Math.Max(State.LastVersion, State.Published?.Version ?? 0) + 1;
        State.Apply = new PendingApply(Guid.NewGuid().ToString("N"), partnerId, State.LastVersion);
        if (key is not null)
        {
            ApplyAnswers.Add(State.Applies, (key, State.Apply.OperationId));
        }

        await WriteAsync();
        var operation = await EnsureApplyStartedAsync(State.Apply);
        Runner.Kick();
        return operation;
    }

    /// <summary>
    /// Records the apply's operation, lists it with the partner and registers the reminder that resumes it after a
    /// crash. Each part is idempotent; a crash after the apply was stored and before this ran is repaired by the next
    /// call or by the apply itself, which runs this before its first step.
    /// </summary>
    private Task<OperationView> EnsureApplyStartedAsync(PendingApply apply) =>
        Runner.RecordAsync(apply.OperationId, new OperationStart(apply.PartnerId, OperationKind.ApplyBarrierPolicies, this.GetPrimaryKeyString(), Progress(0, OperationStatus.Pending)));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Apply is null)
        {
            return Runner.ForgetAsync();
        }

        Runner.Kick();
        return Task.CompletedTask;
    }

    /// <summary>The timer's token is cancelled when the activation stops: Graph reads are abandoned, and the reminder starts over.</summary>
    private async Task ApplyAsync(CancellationToken cancellation)
    {
        if (State.Apply is not { } apply)
        {
            return;
        }

        var operation = Operation(apply.OperationId);
        try
        {
            if (!Runner.Recorded(apply.OperationId))
            {
                await EnsureApplyStartedAsync(apply);
            }

            var configuration = State.Configuration;
            var configurationVersion = State.Version;
            await operation.ReportAsync(Progress(0, OperationStatus.Running));
            var groups = await GroupsOfMembersAsync(configuration, cancellation);
            var users = new List<BarrierUser>();
            await foreach (var user in directory.ListUsersAsync(TenantId, cancellation))
            {
                var barrierUser = ToBarrierUser(user);
                users.Add(groups.TryGetValue(user.Id, out var memberOf) ? barrierUser with { MemberOf = [.. memberOf] } : barrierUser);
            }

            await operation.ReportAsync(Progress(1, OperationStatus.Running));
            var compiled = BarrierCompiler.Compile(configuration, users);

            await operation.ReportAsync(Progress(2, OperationStatus.Running));
            var snapshot = BarrierSnapshotCodec.Encode(compiled);
            await Part(apply.Version, "header").PutAsync(snapshot.Header);
            await Task.WhenAll(snapshot.Shards.Select((shard, i) => Part(apply.Version, $"shard-{i}").PutAsync(shard)));

            await operation.ReportAsync(Progress(3, OperationStatus.Running));
            var conflicts = compiled.Conflicts().Select(c => c.ToString() ?? string.Empty).Take(1000).ToArray();
            State.Published = new PublishedBarriers(apply.Version, configurationVersion, users.Count, snapshot.Shards.Count,
                compiled.UsersWithoutSegment().Count(), conflicts, time.GetUtcNow());
            State.Apply = null;
            await WriteAsync();
            await operation.ReportAsync(Progress(4, OperationStatus.Succeeded));
            await Runner.ForgetAsync();
        }
        catch (OrchestratorException ex) when (ex.Kind != ErrorKind.Unavailable)
        {
            State.Apply = null;
            await WriteAsync();
            await operation.ReportAsync(Progress(0, OperationStatus.Failed) with { Failure = new OperationFailure((int)ex.Kind, ex.Reason, ex.Message) });
            await Runner.ForgetAsync();
        }
        catch (Exception ex)
        {
            // Graph or storage away: start over soon; the reminder covers a crash.
            LogApplyInterrupted(ex, TenantName);
            Runner.Kick(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>User id → the names (as the filters write them) of the referenced groups the user is a direct member of.</summary>
    private async Task<Dictionary<string, List<string>>> GroupsOfMembersAsync(BarrierConfiguration configuration, CancellationToken cancellation)
    {
        var byUser = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in MemberOfGroups.Referenced(configuration))
        {
            var members = await directory.GetGroupMemberIdsAsync(TenantId, group, cancellation) ?? throw new OrchestratorException(ErrorKind.FailedPrecondition, "MEMBER_OF_GROUP_NOT_FOUND",
                $"A segment filters on MemberOf '{OrchestratorException.Quote(group)}', but the tenant has no group with that id, name, mail nickname or mail.");
            foreach (var member in members)
            {
                if (!byUser.TryGetValue(member, out var names))
                {
                    byUser[member] = names = [];
                }

                names.Add(group);
            }
        }

        return byUser;
    }

    private static BarrierUser ToBarrierUser(DirectoryUser user)
    {
        var properties = user.Attributes
            .Where(a => a.Key != "proxyAddresses")
            .Select(a => new KeyValuePair<string, string?>(a.Key.StartsWith("extensionAttribute", StringComparison.Ordinal) ? "onPremisesExtensionAttributes." + a.Key : a.Key, a.Value))
            .Append(new KeyValuePair<string, string?>("userPrincipalName", user.UserPrincipalName))
            .Append(new KeyValuePair<string, string?>("usageLocation", user.UsageLocation));
        var proxies = user.Attributes.TryGetValue("proxyAddresses", out var joined) ? joined.Split(';') : [];
        return BarrierUser.FromGraph(user.Id, user.AccountEnabled, user.UserType, properties, proxies);
    }

    private static OperationProgress Progress(int done, OperationStatus status)
    {
        string[] steps = [ReadUsers, Compile, Store, Publish];
        string[] titles = ["Read every user's attributes", "Compute each user's segments", "Store the compiled version in parts", "Publish the version"];
        return new OperationProgress(status, steps.Select((id, i) => new StepView(id, titles[i],
            i < done ? StepStatus.Succeeded : i == done && status == OperationStatus.Running ? StepStatus.Running : StepStatus.Pending, string.Empty)).ToArray(), null);
    }

    private async Task<OperationView> OperationView(string partnerId, string operationId) =>
        await Operation(operationId).TryGetAsync(partnerId) ?? throw OrchestratorException.NotFound(ResourceName.Operation(operationId));

    private IOperationGrain Operation(string operationId) => GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(operationId));

    private IBarrierPartGrain Part(long version, string part) => GrainFactory.GetGrain<IBarrierPartGrain>(PartKey(TenantName, version, part));

    /// <summary>Changes and the apply interleave: one state write at a time keeps the etag chain intact.</summary>
    private async Task WriteAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await state.WriteOrDeactivateAsync(this);
        }
        finally
        {
            _writes.Release();
        }
    }

    private BarrierConfigView View() => new(State.Configuration, State.Version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Barrier apply of {Tenant} interrupted; it starts over shortly")]
    private partial void LogApplyInterrupted(Exception exception, string tenant);
}
