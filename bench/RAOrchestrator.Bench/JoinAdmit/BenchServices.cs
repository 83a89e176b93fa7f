using Grpc.Core;
using RAOrchestrator.Bench.V1;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// Echo, served both by the bare echo server and, mapped into the real host, behind its authentication and its
/// authorization, error mapping and call metric (its one interceptor). The role attribute is what the host's authorization
/// requires of every method; the bare server has no interceptor that reads it.
/// </summary>
public sealed class BenchEchoService : EchoService.EchoServiceBase
{
    [RequiresRole(PartnerRole.Read)]
    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoResponse { Payload = request.Payload });
}

/// <summary>One call into <see cref="INoOpGrain"/> per RPC, mapped into the real host.</summary>
public sealed class BenchNoOpGrainService(IGrainFactory grains) : NoOpGrainService.NoOpGrainServiceBase
{
    [RequiresRole(PartnerRole.Read)]
    public override async Task<PingGrainResponse> PingGrain(PingGrainRequest request, ServerCallContext context)
    {
        await grains.GetGrain<INoOpGrain>(request.Key).PingAsync();
        return new PingGrainResponse();
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<PingGrainResponse> WriteOnce(PingGrainRequest request, ServerCallContext context)
    {
        await grains.GetGrain<IOneWriteGrain>(request.Key).TouchAsync();
        return new PingGrainResponse();
    }
}
