using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Domain.Tenants;
using Proto = RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Mapping;

public static class ReadinessMapping
{
    public static Proto.ReadinessReport ToProto(this ReadinessReport report)
    {
        var proto = new Proto.ReadinessReport { Ready = report.Ready, CheckTime = Timestamp.FromDateTimeOffset(report.CheckedAt) };
        proto.Checks.AddRange(report.Checks.Select(c => new Proto.ReadinessReport.Types.Check
        {
            Id = c.Id,
            Title = c.Title,
            Result = c.Result switch
            {
                CheckResult.Passed => Proto.ReadinessReport.Types.Result.Passed,
                CheckResult.Failed => Proto.ReadinessReport.Types.Result.Failed,
                _ => Proto.ReadinessReport.Types.Result.Unknown,
            },
            Reason = c.Reason,
            Message = c.Message,
            Remedy = c.Remedy,
            Blocking = c.Blocking,
        }));
        return proto;
    }
}
