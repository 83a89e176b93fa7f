using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.AssignLicense;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Directory.Batching;

/// <summary>
/// Create a member user and assign its licences in one round: <c>POST /users</c> and
/// <c>POST /users/{upn}/assignLicense</c> depending on it. Later rounds send only what is left: the assignment
/// (the create went through, the assignment was throttled), or a read of the user whose UPN was taken (Graph's
/// ObjectConflict) instead of a GET before every create.
/// </summary>
internal sealed class CreateLicensedUserItem(NewDirectoryUser user, IReadOnlyList<Guid> skus) : BatchItem<ProvisionedUser>
{
    private const string CreateId = "c";
    private const string AssignId = "a";
    private const string FindId = "f";

    private Phase _phase = Phase.Create;

    /// <summary>Only creations wait for their group: an undo or an adoption in the same call chain is not part of it.</summary>
    public CreateLicensedUserItem(NewDirectoryUser user, IReadOnlyList<Guid> skus, (string Group, int Expected)? hint)
        : this(user, skus) => Hint = hint;
    private DirectoryUser? _created;

    private enum Phase
    {
        Create,
        Assign,
        Find,
    }

    public override int Size => _phase == Phase.Create && skus.Count > 0 ? 2 : 1;

    public override async Task AddAsync(BatchRequestContentCollection batch, GraphServiceClient graph, string prefix)
    {
        switch (_phase)
        {
            case Phase.Create:
                await batch.AddBatchRequestStepAsync(graph.Users.ToPostRequestInformation(GraphMapping.ToGraph(user)), prefix + CreateId);
                if (skus.Count > 0)
                {
                    // Addressed by UPN: the id is not known until the create answers, and dependsOn runs it after.
                    await batch.AddBatchRequestStepAsync(graph.Users[user.UserPrincipalName].AssignLicense.ToPostRequestInformation(Assignment()), prefix + AssignId);
                    batch.BatchRequestSteps[prefix + AssignId].DependsOn = [prefix + CreateId];
                }

                break;
            case Phase.Assign:
                await batch.AddBatchRequestStepAsync(graph.Users[_created!.Id].AssignLicense.ToPostRequestInformation(Assignment()), prefix + AssignId);
                break;
            default:
                await batch.AddBatchRequestStepAsync(graph.Users[user.UserPrincipalName].ToGetRequestInformation(r => r.QueryParameters.Select = GraphMapping.SelectWithCreated), prefix + FindId);
                break;
        }
    }

    public override async Task<RoundOutcome> ReadAsync(BatchAnswers answers, string prefix) => _phase switch
    {
        Phase.Create => await ReadCreateAsync(answers, prefix),
        Phase.Assign => await ReadAssignAsync(answers, prefix),
        _ => await ReadFindAsync(answers, prefix),
    };

    private async Task<RoundOutcome> ReadCreateAsync(BatchAnswers answers, string prefix)
    {
        var status = answers.Status(prefix + CreateId);
        if (status == HttpStatusCode.Created)
        {
            _created = GraphMapping.ToDomain(await answers.UserAsync(prefix + CreateId));
            return skus.Count == 0 ? Complete(new ProvisionedUser(_created, true, true, null)) : await ReadAssignAsync(answers, prefix);
        }

        if (BatchAnswers.IsTransient(status))
        {
            return await answers.RetryAsync(prefix + CreateId);
        }

        var error = await answers.ErrorAsync(prefix + CreateId);
        if (GraphErrors.IsUpnConflict(error))
        {
            _phase = Phase.Find;
            return RoundOutcome.Again;
        }

        Fail(await answers.DomainErrorAsync(prefix + CreateId));
        return RoundOutcome.Done;
    }

    private async Task<RoundOutcome> ReadAssignAsync(BatchAnswers answers, string prefix)
    {
        var status = answers.Status(prefix + AssignId);
        if (status == HttpStatusCode.OK)
        {
            var licensed = _created! with { AssignedSkus = [.. _created.AssignedSkus.Union(skus)] };
            return Complete(new ProvisionedUser(licensed, true, true, null));
        }

        if (BatchAnswers.IsTransient(status) || status == HttpStatusCode.FailedDependency)
        {
            _phase = Phase.Assign;
            return await answers.RetryAsync(prefix + AssignId);
        }

        // The user is made; the licences are refused for a reason of their own: the caller undoes the user.
        return Complete(new ProvisionedUser(_created!, true, false, await answers.DomainErrorAsync(prefix + AssignId)));
    }

    private async Task<RoundOutcome> ReadFindAsync(BatchAnswers answers, string prefix)
    {
        var status = answers.Status(prefix + FindId);
        if (status == HttpStatusCode.OK)
        {
            return Complete(new ProvisionedUser(GraphMapping.ToDomain(await answers.UserAsync(prefix + FindId)), false, false, null));
        }

        if (status == HttpStatusCode.NotFound)
        {
            // The user holding the UPN went away between the conflict and the read: create again.
            _phase = Phase.Create;
            return RoundOutcome.Again;
        }

        if (BatchAnswers.IsTransient(status))
        {
            return await answers.RetryAsync(prefix + FindId);
        }

        Fail(await answers.DomainErrorAsync(prefix + FindId));
        return RoundOutcome.Done;
    }

    private AssignLicensePostRequestBody Assignment() => new()
    {
        AddLicenses = skus.Select(s => new AssignedLicense { SkuId = s, DisabledPlans = [] }).ToList(),
        RemoveLicenses = [],
    };
}
