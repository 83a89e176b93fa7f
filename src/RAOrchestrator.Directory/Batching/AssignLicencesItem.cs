using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.AssignLicense;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Directory.Batching;

/// <summary>
/// <c>POST /users/{id}/assignLicense</c> and, depending on it, a read of the user with its licences (Graph answers an
/// assignment with the user's default properties, which leave licences out), both in one round of a tenant's $batch.
/// </summary>
internal sealed class AssignLicencesItem(string userId, IReadOnlyList<Guid> add, IReadOnlyList<Guid> remove) : BatchItem<DirectoryUser>
{
    private const string AssignId = "l";
    private const string ReadId = "r";

    private bool _assigned;

    public override int Size => _assigned ? 1 : 2;

    public override async Task AddAsync(BatchRequestContentCollection batch, GraphServiceClient graph, string prefix)
    {
        if (!_assigned)
        {
            await batch.AddBatchRequestStepAsync(graph.Users[userId].AssignLicense.ToPostRequestInformation(new AssignLicensePostRequestBody
            {
                AddLicenses = add.Select(s => new AssignedLicense { SkuId = s, DisabledPlans = [] }).ToList(),
                RemoveLicenses = remove.Select(s => (Guid?)s).ToList(),
            }), prefix + AssignId);
        }

        await batch.AddBatchRequestStepAsync(graph.Users[userId].ToGetRequestInformation(r => r.QueryParameters.Select = UserAttributes.Select), prefix + ReadId);
        if (!_assigned)
        {
            batch.BatchRequestSteps[prefix + ReadId].DependsOn = [prefix + AssignId];
        }
    }

    public override async Task<RoundOutcome> ReadAsync(BatchAnswers answers, string prefix)
    {
        if (!_assigned)
        {
            var status = answers.Status(prefix + AssignId);
            if (BatchAnswers.IsTransient(status))
            {
                return await answers.RetryAsync(prefix + AssignId);
            }

            if (status != HttpStatusCode.OK)
            {
                Fail(await answers.DomainErrorAsync(prefix + AssignId));
                return RoundOutcome.Done;
            }

            _assigned = true;
        }

        var read = answers.Status(prefix + ReadId);
        if (read == HttpStatusCode.OK)
        {
            return Complete(GraphMapping.ToDomain(await answers.UserAsync(prefix + ReadId)));
        }

        if (BatchAnswers.IsTransient(read))
        {
            return await answers.RetryAsync(prefix + ReadId);
        }

        Fail(await answers.DomainErrorAsync(prefix + ReadId));
        return RoundOutcome.Done;
    }
}
