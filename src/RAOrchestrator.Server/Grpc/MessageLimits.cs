using Grpc.AspNetCore.Server;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// The largest request message each method accepts: <see cref="ApiOptions.MaxReceiveMessageBytes"/> (1 MiB by
/// default) for every method but StartBulkOnboarding, whose limit follows what its contract allows: 5,000 tenants with
/// 20,000 accounts, every id, name and UPN at its longest, come to about 40 MB (the test sends one). Grpc.AspNetCore
/// sets limits per service; the bulk service has that one method.
/// </summary>
public sealed class MessageLimits(ApiOptions api)
{
    /// <summary>64 MiB: the contract's largest bulk request with room for attributes and allow-lists.</summary>
    public const int BulkOnboardingBytes = 64 * 1024 * 1024;

    public int Default => api.MaxReceiveMessageBytes;

    public int BulkOnboarding => Math.Max(BulkOnboardingBytes, api.MaxReceiveMessageBytes);

    /// <summary>The limit of a method of <paramref name="serviceName"/> (a full name such as raorchestrator.v1.TenantService).</summary>
    public int For(string serviceName) => serviceName == BulkOnboardingService.Descriptor.FullName ? BulkOnboarding : Default;

    public void Configure(IGrpcServerBuilder grpc) =>
        grpc.AddServiceOptions<BulkOnboardingGrpcService>(options => options.MaxReceiveMessageSize = BulkOnboarding);
}
