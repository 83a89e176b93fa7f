using Grpc.Core;

namespace RAOrchestrator.Server.Security;

/// <summary>The authenticated partner behind a call, set by PartnerAuthorization (in the API interceptor).</summary>
public sealed record Caller(string PartnerId, PartnerRole Role)
{
    private const string ItemKey = "raorchestrator.caller";

    internal static void Set(ServerCallContext context, Caller caller) => context.GetHttpContext().Items[ItemKey] = caller;

    /// <summary>The caller, or null on a call open to anyone (health, reflection).</summary>
    public static Caller? Find(ServerCallContext context) => context.GetHttpContext().Items[ItemKey] as Caller;

    public static Caller Of(ServerCallContext context) =>
        Find(context)
        ?? throw new InvalidOperationException("No caller on this call: PartnerAuthorization (in the API interceptor) did not run.");
}

public static class CallerExtensions
{
    public static Caller Caller(this ServerCallContext context) => Security.Caller.Of(context);
}
