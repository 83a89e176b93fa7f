using Google.Protobuf.Reflection;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Client;

/// <summary>
/// Which calls the client repeats when they fail <c>UNAVAILABLE</c> (a process gone, a connection reset, the cluster
/// not answering yet): those that are safe to repeat. Reads have no effect; mutations whose request carries a
/// <c>request_id</c> are deduplicated by the service, so a repeat returns the first call's result instead of acting
/// twice (the client gives every such call an id: <see cref="RequestIdFilling"/>). The other mutations (joining,
/// admitting, denying, removing, leaving, redeeming a ticket, cancelling an operation) are not repeated: their
/// UNAVAILABLE reaches the caller, who knows whether repeating is right.
/// </summary>
public static class RetriedMethods
{
    /// <summary>Every service of raorchestrator.v1.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
    [
        TenantService.Descriptor, BulkOnboardingService.Descriptor, OperationService.Descriptor, ServiceAccountService.Descriptor,
        BarrierService.Descriptor, SessionService.Descriptor, DirectoryService.Descriptor,
    ];

    /// <summary>Methods that only read (watches included: a watch is repeated only before its first message).</summary>
    public static IReadOnlySet<string> Reads { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "GetTenant", "ListTenants", "GetTenantRunbook",
        "GetOperation", "ListOperations", "WatchOperation",
        "GetServiceAccount", "ListServiceAccounts", "GetLicenseSummary",
        "GetSegment", "ListSegments", "GetBarrierPolicy", "ListBarrierPolicies", "ExportBarrierPolicies", "CheckBarrier",
        "GetSession", "ListSessions", "WatchSession",
        "SearchUsers",
    };

    /// <summary>Mutations without a request_id: never repeated by the client.</summary>
    public static IReadOnlySet<string> NotRepeated { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "CancelOperation", "JoinSession", "AdmitParticipant", "DenyParticipant", "RemoveParticipant", "LeaveSession", "RedeemJoinTicket",
    };

    /// <summary>The <c>request_id</c> field of a method's request, when it has one.</summary>
    public static FieldDescriptor? RequestIdField(MethodDescriptor method) => method.InputType.FindFieldByName("request_id");

    /// <summary>Whether the client repeats this method on UNAVAILABLE.</summary>
    public static bool IsRetried(MethodDescriptor method) => Reads.Contains(method.Name) || RequestIdField(method) is not null;

    /// <summary>Every retried method, as <c>(service full name, method name)</c>.</summary>
    public static IEnumerable<(string Service, string Method)> All() =>
        Services.SelectMany(s => s.Methods).Where(IsRetried).Select(m => (m.Service.FullName, m.Name));
}
