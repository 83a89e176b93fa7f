using Grpc.Core;
using RAOrchestrator.Abstractions.Bulk;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Paging;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Grains.Bulk;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.OperationService over the operation grains.</summary>
public sealed class OperationGrpcService(IGrainFactory grains, WebLinks links, IHostApplicationLifetime host) : OperationService.OperationServiceBase
{
    /// <summary>How long one grain wait lasts before the stream asks again; keeps no call open past the grain's timeout.</summary>
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(20);

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetOperationResponse> GetOperation(GetOperationRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var operationId = ResourceName.ParseOperation(request.Name, violations);
        violations.ThrowIfAny();

        var view = await Operation(operationId).TryGetAsync(context.Caller().PartnerId) ?? throw OrchestratorException.NotFound(request.Name);
        return new GetOperationResponse { Operation = view.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ListOperationsResponse> ListOperations(ListOperationsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var page = PageRequest.Parse(request.PageSize, request.PageToken, violations);
        violations.ThrowIfAny();

        var partnerId = context.Caller().PartnerId;
        var keys = await grains.GetGrain<IPartnerGrain>(ResourceName.Partner(partnerId)).ListOperationsAsync(page.After, page.Size);
        var (views, next) = await IndexPage.ResolveAsync(keys, id => Operation(id).TryGetAsync(partnerId));

        var response = new ListOperationsResponse { NextPageToken = next };
        response.Operations.AddRange(views.Select(v => v.ToProto(links)));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CancelOperationResponse> CancelOperation(CancelOperationRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var operationId = ResourceName.ParseOperation(request.Name, violations);
        violations.ThrowIfAny();

        var partnerId = context.Caller().PartnerId;
        var view = await Operation(operationId).TryGetAsync(partnerId) ?? throw OrchestratorException.NotFound(request.Name);
        if (view.Kind != OperationKind.BulkOnboarding)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "OPERATION_NOT_CANCELLABLE",
                $"{request.Name} is a {view.Kind} operation, which runs to its end; only bulk operations can be cancelled.");
        }

        var cancelled = await grains.GetGrain<IBulkOnboardingGrain>(BulkOnboardingGrain.KeyPrefix + operationId).CancelAsync(partnerId)
            ?? throw OrchestratorException.NotFound(request.Name);
        return new CancelOperationResponse { Operation = cancelled.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task WatchOperation(WatchOperationRequest request, IServerStreamWriter<WatchOperationResponse> responseStream, ServerCallContext context)
    {
        var violations = new Violations();
        var operationId = ResourceName.ParseOperation(request.Name, violations);
        if (request.AfterVersion < 0)
        {
            violations.Add("after_version", "must be 0 or the version of an update you received");
        }

        violations.ThrowIfAny();

        var partnerId = context.Caller().PartnerId;
        var grain = Operation(operationId);
        var after = request.AfterVersion;
        using var ending = WatchStreams.Ending(context, host);
        while (true)
        {
            OperationView? view;
            try
            {
                view = await grain.WatchAsync(partnerId, after, WatchPoll).WaitAsync(ending.Token);
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested)
            {
                WatchStreams.EndIfHostStopping(host);
                return;
            }

            if (view is null)
            {
                throw OrchestratorException.NotFound(request.Name);
            }

            if (view.Version > after)
            {
                await responseStream.WriteAsync(new WatchOperationResponse { Operation = view.ToProto(links) }, context.CancellationToken);
                after = view.Version;
            }

            if (view.Done)
            {
                return;
            }
        }
    }

    private IOperationGrain Operation(string operationId) => grains.GetGrain<IOperationGrain>(ResourceName.Operation(operationId));
}
