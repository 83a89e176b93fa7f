using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Grains.ServiceAccounts;

/// <summary>
/// Undoing an account touches only what the service made (see <see cref="DirectoryFootprint"/>): the licences it
/// assigned, a user it created and that user's Temporary Access Passes. Each part is "already done" when the directory shows it done (a licence no longer
/// held, a user gone), so a deletion or an offboarding that failed half-way can run again and finish.
/// </summary>
public sealed partial class ServiceAccountGrain
{
    /// <summary>An account still provisioning is being finished (or undone) and cannot be deleted yet; UNAVAILABLE.</summary>
    public const string ProvisioningInProgress = "PROVISIONING_IN_PROGRESS";

    /// <summary>The SKUs this service assigned to the user; none before the user was made or found.</summary>
    private IReadOnlyList<Guid> Assigned => State.AssignedSkus ?? [];

    /// <summary>Claims the UPN and holds the seats; refused once offboarding began, when nothing was made yet: the account is then forgotten.</summary>
    private async Task ReserveAsync(ServiceAccountSpec spec)
    {
        try
        {
            await Ledger.ReserveAsync(Name, spec.UserPrincipalName, spec.Skus);
        }
        catch (OrchestratorException refused) when (refused.Reason == Reasons.TenantNotActive)
        {
            await ForgetAsync();
            throw;
        }
    }

    /// <summary>
    /// The SKUs to assign, recorded before they are: an account stored before assignments were recorded reads the
    /// user first, so a licence it held already is not taken for ours.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> RecordedAssignmentAsync(ServiceAccountSpec spec)
    {
        if (State.AssignedSkus is null)
        {
            var held = State.CreatedUser ? [] : (await directory.GetUserAsync(TenantId, State.UserId))?.AssignedSkus ?? [];
            State.AssignedSkus = [.. DirectoryFootprint.ToAssign(spec.Skus, held)];
            await state.WriteOrDeactivateAsync(this);
        }

        return State.AssignedSkus;
    }

    /// <summary>
    /// Brings an account that is still provisioning to ACTIVE or FAILED before it is deleted, so no user it made is
    /// left enabled and licensed with nothing tracking it. False when the account was forgotten meanwhile (offboarding
    /// began before it made anything); UNAVAILABLE while the directory does not answer.
    /// </summary>
    private async Task<bool> SettleAsync()
    {
        try
        {
            await ProvisionAsync();
        }
        catch (OrchestratorException) when (!State.Exists)
        {
            return false;
        }

        return State.Status != ServiceAccountStatus.Provisioning
            ? true
            : throw new OrchestratorException(ErrorKind.Unavailable, ProvisioningInProgress,
                $"{Name} is still being provisioned (the directory did not answer); it can be deleted once that is finished. Try again shortly.");
    }

    /// <summary>
    /// Removes the licences this service assigned; then deletes (a failed provisioning) or deletes the passes of and
    /// disables (a deleted account) the user only when this service created it; releases the seats and the UPN.
    /// </summary>
    private async Task ReverseAsync(bool deleteCreatedUser)
    {
        // A mailed pass still waiting for its expert is withdrawn whoever created the user.
        await EndWaitingHandoffsAsync(PassHandoffEnd.Withdrawn);
        if (State.UserId.Length > 0)
        {
            if (deleteCreatedUser && State.CreatedUser)
            {
                // Its licences go with it.
                await directory.DeleteUserAsync(TenantId, State.UserId);
                State.UserId = string.Empty;
            }
            else
            {
                await RemoveAssignedLicencesAsync();
                if (State.CreatedUser)
                {
                    await DeletePassesAsync();
                    await directory.DisableUserAsync(TenantId, State.UserId);
                }
            }
        }

        State.AssignedSkus = [];
        await Ledger.ReleaseAsync(Name);
    }

    /// <summary>
    /// Deletes the user's Temporary Access Passes; none left is done, so a repeat after a crash is harmless. An app
    /// without the pass permission cannot have issued one, and the user is disabled next (a disabled user cannot sign
    /// in with a pass), so that refusal does not stop the deletion.
    /// </summary>
    private async Task DeletePassesAsync()
    {
        try
        {
            await passes.DeletePassesAsync(TenantId, State.UserId);
        }
        catch (OrchestratorException denied) when (denied.Reason == SignInReadinessRules.PermissionDenied)
        {
            LogPassesNotDeleted(Name, denied.Reason);
        }
    }

    /// <summary>Removes the assigned licences the user still holds; a user gone, or a licence it no longer has, is already done.</summary>
    private async Task RemoveAssignedLicencesAsync()
    {
        var assigned = Assigned;
        for (var attempt = 1; assigned.Count > 0; attempt++)
        {
            var user = await directory.GetUserAsync(TenantId, State.UserId);
            var remove = user is null ? [] : DirectoryFootprint.ToRemove(assigned, user.AssignedSkus);
            if (remove.Count == 0)
            {
                return;
            }

            try
            {
                await directory.AssignLicencesAsync(TenantId, State.UserId, [], remove);
                return;
            }
            catch (OrchestratorException changed) when (attempt < 3 && (changed.Kind == ErrorKind.NotFound || changed.Reason == DirectoryFootprint.LicenceNotHeld))
            {
                // The admin removed a licence or the user between our read and our removal: read again.
            }
        }
    }

    /// <summary>
    /// Forgets the account. A delete that carried a request key leaves only that key, so its repeat answers as it did.
    /// </summary>
    private async Task ForgetAsync(string requestKey = "")
    {
        await Runner.ForgetAsync();
        state.State = new ServiceAccountState { DeletedByRequest = requestKey };
        if (requestKey.Length > 0)
        {
            await state.WriteOrDeactivateAsync(this);
        }
        else
        {
            await state.ClearStateAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The passes of {Account} were not deleted ({Reason}); its user is disabled")]
    private partial void LogPassesNotDeleted(string account, string reason);
}
