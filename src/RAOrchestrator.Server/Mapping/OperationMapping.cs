using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Server.Web;
using Proto = RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Mapping;

public static class OperationMapping
{
    public static Proto.Operation ToProto(this OperationView view, WebLinks links)
    {
        var operation = new Proto.Operation
        {
            Name = ResourceName.Operation(view.OperationId),
            Kind = view.Kind switch
            {
                OperationKind.OnboardTenant => Proto.Operation.Types.Kind.OnboardTenant,
                OperationKind.OffboardTenant => Proto.Operation.Types.Kind.OffboardTenant,
                OperationKind.CheckTenantReadiness => Proto.Operation.Types.Kind.CheckTenantReadiness,
                OperationKind.BulkOnboarding => Proto.Operation.Types.Kind.BulkOnboarding,
                OperationKind.ApplyBarrierPolicies => Proto.Operation.Types.Kind.ApplyBarrierPolicies,
                _ => Proto.Operation.Types.Kind.Unspecified,
            },
            State = view.Status switch
            {
                OperationStatus.Pending => Proto.Operation.Types.State.Pending,
                OperationStatus.Running => Proto.Operation.Types.State.Running,
                OperationStatus.Succeeded => Proto.Operation.Types.State.Succeeded,
                OperationStatus.Failed => Proto.Operation.Types.State.Failed,
                OperationStatus.Cancelled => Proto.Operation.Types.State.Cancelled,
                _ => Proto.Operation.Types.State.Unspecified,
            },
            Target = view.Target,
            Done = view.Done,
            ProgressPercent = view.ProgressPercent,
            Version = view.Version,
            CreateTime = Timestamp.FromDateTimeOffset(view.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdateTime),
            ApprovalUri = links.Absolute(view.ApprovalPath),
        };
        operation.Steps.AddRange(view.Steps.Select(ToProto));
        if (view.Bulk is { } bulk)
        {
            operation.Bulk = new Proto.BulkProgress
            {
                Total = bulk.Total,
                Pending = bulk.Pending,
                Running = bulk.Running,
                Succeeded = bulk.Succeeded,
                NeedsAttention = bulk.NeedsAttention,
                Failed = bulk.Failed,
                Cancelled = bulk.Cancelled,
                AwaitingApproval = bulk.AwaitingApproval,
            };
            operation.Bulk.PendingApprovals.AddRange((bulk.PendingApprovals ?? []).Select(p => new Proto.PendingApproval { Target = p.Target, ApprovalUri = links.Absolute(p.ApprovalPath) }));
            operation.Bulk.ItemResults.AddRange(bulk.ItemResults.Select(r => new Proto.BulkProgress.Types.ItemResult
            {
                Target = r.Target,
                Outcome = r.Outcome,
                Reason = r.Reason,
                Message = r.Message,
            }));
            if (bulk.Accounts is { } accounts)
            {
                operation.Bulk.Accounts = new Proto.BulkAccountProgress
                {
                    Total = accounts.Total,
                    Pending = accounts.Pending,
                    Running = accounts.Running,
                    Succeeded = accounts.Succeeded,
                    Failed = accounts.Failed,
                    Skipped = accounts.Skipped,
                    Cancelled = accounts.Cancelled,
                };
            }

            operation.ProgressPercent = bulk.Total == 0 ? 100 : 100 * (bulk.Total - bulk.Pending - bulk.Running) / bulk.Total;
        }

        if (view.Failure is { } failure)
        {
            operation.Error = new Proto.OperationError { Code = failure.Code, Reason = failure.Reason, Message = failure.Message };
        }

        return operation;
    }

    private static Proto.OperationStep ToProto(StepView step) => new()
    {
        Id = step.Id,
        Title = step.Title,
        Message = step.Message,
        State = step.Status switch
        {
            StepStatus.Pending => Proto.OperationStep.Types.State.Pending,
            StepStatus.Running => Proto.OperationStep.Types.State.Running,
            StepStatus.Succeeded => Proto.OperationStep.Types.State.Succeeded,
            StepStatus.Failed => Proto.OperationStep.Types.State.Failed,
            StepStatus.Skipped => Proto.OperationStep.Types.State.Skipped,
            _ => Proto.OperationStep.Types.State.Unspecified,
        },
    };
}
