using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.AssignLicense;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Directory.Batching;

/// <summary><c>POST /users/{id}/assignLicense</c> inside a tenant's $batch.</summary>
internal sealed class AssignLicencesItem(string userId, IReadOnlyList<Guid> add, IReadOnlyList<Guid> remove) : BatchItem<DirectoryUser>
{
    private const string Id = "l";

    public override int Size => 1;

    public override Task AddAsync(BatchRequestContentCollection batch, GraphServiceClient graph, string prefix) =>
        batch.AddBatchRequestStepAsync(graph.Users[userId].AssignLicense.ToPostRequestInformation(new AssignLicensePostRequestBody
        {
            AddLicenses = add.Select(s => new AssignedLicense { SkuId = s, DisabledPlans = [] }).ToList(),
            RemoveLicenses = remove.Select(s => (Guid?)s).ToList(),
        }), prefix + Id);

    public override async Task<RoundOutcome> ReadAsync(BatchAnswers answers, string prefix)
    {
        var status = answers.Status(prefix + Id);
        if (status == HttpStatusCode.OK)
        {
            return Complete(GraphMapping.ToDomain(await answers.UserAsync(prefix + Id)));
        }

        if (BatchAnswers.IsTransient(status))
        {
            return await answers.RetryAsync(prefix + Id);
        }

        Fail(await answers.DomainErrorAsync(prefix + Id));
        return RoundOutcome.Done;
    }
}
