using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains.Barriers;

/// <summary>A broken barrier rule as an API error whose reason is the rule's code.</summary>
public static class BarrierErrors
{
    public static OrchestratorException From(BarrierViolation violation) => violation.Rule switch
    {
        BarrierRule.SegmentNotFound or BarrierRule.PolicyNotFound =>
            new OrchestratorException(ErrorKind.NotFound, violation.Code, violation.Message),
        BarrierRule.SegmentNameDuplicate or BarrierRule.PolicyNameDuplicate =>
            new OrchestratorException(ErrorKind.AlreadyExists, violation.Code, violation.Message),
        BarrierRule.SegmentFilterInvalid =>
            new OrchestratorException(ErrorKind.InvalidArgument, violation.Code, violation.Message, [new FieldViolation("segment.user_group_filter", violation.Message)]),
        BarrierRule.SegmentNameInvalid or BarrierRule.PolicyNameInvalid =>
            new OrchestratorException(ErrorKind.InvalidArgument, violation.Code, violation.Message, [new FieldViolation("name", violation.Message)]),
        BarrierRule.SegmentLimitExceeded =>
            new OrchestratorException(ErrorKind.ResourceExhausted, violation.Code, violation.Message),
        _ => new OrchestratorException(ErrorKind.FailedPrecondition, violation.Code, violation.Message),
    };
}
