using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Grains.Workflows;

/// <summary>
/// What every resumable workflow of a grain shares (a tenant's onboarding, checks and offboarding, a barrier apply, a
/// bulk onboarding, a service account's provisioning), owned by that grain: <see cref="Kick"/> runs the workflow from
/// a one-shot grain timer, <see cref="RunAsync"/> keeps one run in flight, a one-minute reminder resumes it after a
/// crash (<see cref="RememberAsync"/>) until it is forgotten when done (<see cref="ForgetAsync"/>), and
/// <see cref="RecordAsync"/> puts its operation record in place before the first step reports to it. The owner keeps
/// its steps (the run delegate) and routes its reminder's ticks here.
/// </summary>
/// <param name="grain">The owning grain: the timer, the reminder and the activation are its.</param>
/// <param name="reminder">The reminder's name (stored with the grain's identity: keep it stable).</param>
/// <param name="run">One run of the workflow; the token is cancelled when the activation stops (a run from a reminder or a call gets none).</param>
/// <param name="interleave">Whether the timer's run interleaves with the grain's calls (so they keep answering while it runs).</param>
public sealed class WorkflowRunner(IGrainBase grain, string reminder, Func<CancellationToken, Task> run, bool interleave = false)
{
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;

    // The operation whose record, partner listing and reminder this activation has put in place.
    private string? _recordedOperationId;

    // The reminder as this activation registered it: unregistering it needs no read of the reminder table.
    private IGrainReminder? _registered;

    // Known to have no reminder: the workflow started in this activation without one (see Unregistered).
    private bool _none;

    /// <summary>The reminder's name, for an owner with reminders of its own to tell this one's ticks apart.</summary>
    public string Reminder => reminder;

    /// <summary>Whether a run is in flight.</summary>
    public bool Running { get; private set; }

    /// <summary>Runs the workflow from a one-shot timer after <paramref name="due"/> (now by default), replacing a timer not yet fired.</summary>
    public void Kick(TimeSpan? due = null)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(static (runner, cancellation) => runner.RunAsync(cancellation), this,
            new GrainTimerCreationOptions { DueTime = due ?? TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = interleave });
    }

    /// <summary>Drops a timer not yet fired (a run in flight goes on).</summary>
    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>Runs the workflow unless a run is in flight already (that run carries on; this call returns at once).</summary>
    public async Task RunAsync(CancellationToken cancellation = default)
    {
        if (Running)
        {
            return;
        }

        Running = true;
        try
        {
            await run(cancellation);
        }
        finally
        {
            Running = false;
        }
    }

    /// <summary>Registers the reminder that resumes the workflow after a crash (idempotent).</summary>
    public async Task RememberAsync()
    {
        _registered = await grain.RegisterOrUpdateReminder(reminder, ReminderPeriod, ReminderPeriod);
        _none = false;
    }

    /// <summary>The workflow started in this activation with no reminder (its caller resumes it): forgetting it reads nothing.</summary>
    public void Unregistered() => _none = _registered is null;

    /// <summary>The reminder just ticked: it exists, whatever this activation knew.</summary>
    public void Ticked() => _none = false;

    /// <summary>
    /// Unregisters the reminder: the workflow is done. The one this activation registered is removed as it was
    /// registered; otherwise (a later activation, or the row changed since) it is read from the reminder table first.
    /// </summary>
    public async Task ForgetAsync()
    {
        if (_none)
        {
            return;
        }

        if (_registered is { } mine)
        {
            _registered = null;
            try
            {
                await grain.UnregisterReminder(mine);
                return;
            }
            catch (ReminderException)
            {
                // Its row changed since (registered again elsewhere): read what is there now.
            }
        }

        if (await grain.GetReminder(reminder) is { } registered)
        {
            await grain.UnregisterReminder(registered);
        }
    }

    /// <summary>Whether this activation has put the operation's record, partner listing and reminder in place.</summary>
    public bool Recorded(string operationId) => _recordedOperationId == operationId;

    /// <summary>
    /// Records the workflow's operation (answering it as it stands when it exists), and once per activation lists it
    /// with its partner and registers the reminder. Every part is idempotent: a retried request, or a run that finds
    /// a crash came between storing the workflow and recording its operation, calls this again safely.
    /// </summary>
    public async Task<OperationView> RecordAsync(string operationId, OperationStart start)
    {
        var grains = grain.GrainContext.ActivationServices.GetRequiredService<IGrainFactory>();
        var operation = await grains.GetGrain<IOperationGrain>(ResourceName.Operation(operationId)).StartAsync(start);
        if (!Recorded(operationId))
        {
            await grains.GetGrain<IPartnerGrain>(ResourceName.Partner(start.PartnerId)).AddOperationAsync(operationId);
            await RememberAsync();
            _recordedOperationId = operationId;
        }

        return operation;
    }
}
