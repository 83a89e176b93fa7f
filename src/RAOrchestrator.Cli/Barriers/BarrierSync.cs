using Grpc.Core;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Barriers;

/// <summary>
/// Brings a tenant's segments and policies up to a <see cref="BarrierFile"/>: creates what is missing and updates what
/// differs (segments first, since policies name them). What the file does not mention is left alone.
/// </summary>
public static class BarrierSync
{
    public sealed record Change(string Name, string Action, IReadOnlyList<BarrierWarning> Warnings);

    public static async Task ApplyAsync(BarrierService.BarrierServiceClient barriers, string tenant, BarrierFile file, Action<string> working, Action<Change> changed, CancellationToken cancellationToken)
    {
        foreach (var spec in file.Segments)
        {
            working($"segment {spec.Id}");
            var segment = new Segment { UserGroupFilter = spec.Filter };
            try
            {
                var created = await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = spec.Id, Segment = segment }, cancellationToken: cancellationToken);
                changed(new Change(created.Segment.Name, "created", []));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                var name = $"{tenant}/segments/{spec.Id}";
                var current = (await barriers.GetSegmentAsync(new GetSegmentRequest { Name = name }, cancellationToken: cancellationToken)).Segment;
                if (current.UserGroupFilter == spec.Filter)
                {
                    changed(new Change(name, "unchanged", []));
                    continue;
                }

                await barriers.UpdateSegmentAsync(new UpdateSegmentRequest { Segment = new Segment { Name = name, UserGroupFilter = spec.Filter, Etag = current.Etag } }, cancellationToken: cancellationToken);
                changed(new Change(name, "updated", []));
            }
        }

        foreach (var spec in file.Policies)
        {
            working($"policy {spec.Id}");
            var wanted = spec.ToPolicy();
            try
            {
                var created = await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest { Parent = tenant, BarrierPolicyId = spec.Id, BarrierPolicy = wanted }, cancellationToken: cancellationToken);
                changed(new Change(created.BarrierPolicy.Name, "created", created.Warnings));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                var name = $"{tenant}/barrierPolicies/{spec.Id}";
                var current = (await barriers.GetBarrierPolicyAsync(new GetBarrierPolicyRequest { Name = name }, cancellationToken: cancellationToken)).BarrierPolicy;
                if (current.State == wanted.State && current.Segments.SequenceEqual(wanted.Segments) && current.Kind == wanted.Kind && current.AssignedSegment == wanted.AssignedSegment)
                {
                    changed(new Change(name, "unchanged", []));
                    continue;
                }

                wanted.Name = name;
                wanted.Etag = current.Etag;
                var updated = await barriers.UpdateBarrierPolicyAsync(new UpdateBarrierPolicyRequest { BarrierPolicy = wanted }, cancellationToken: cancellationToken);
                changed(new Change(name, "updated", updated.Warnings));
            }
        }

    }
}
