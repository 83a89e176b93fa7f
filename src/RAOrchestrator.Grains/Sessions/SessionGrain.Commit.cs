using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>Writing a step: stored before the caller hears of it, then telemetry, the watchers woken and the clock re-armed.</summary>
public sealed partial class SessionGrain
{
    /// <summary>Stores the step (when it changed anything), records its telemetry, wakes watchers, answers its value.</summary>
    private async Task<T> CommitAsync<T>(SessionStep<T> step, string action)
        where T : class
    {
        if (!step.Succeeded)
        {
            throw Refused(step.Refusal!, action);
        }

        if (!ReferenceEquals(step.State, Session))
        {
            var before = Session!;
            var after = step.State with { UpdatedAt = time.GetUtcNow() };
            await _log.AppendAsync(after).OrDeactivateAsync(this); // one delta row: what the step changed
            SessionMetrics.Record(before, step.Events);
            Signal();
            await UnlistIfClosedAsync(); // returns at once unless the step closed the session
            await ArmClockAsync(); // returns at once unless the step moved the next deadline
            if (before.Status != after.Status)
            {
                await MarkActiveAsync(); // after what watchers and admitters' indexes see: only the gauge waits for it
            }
        }

        return step.Value!;
    }

    private static OrchestratorException Refused(SessionRefusal refusal, string action)
    {
        Telemetry.SessionRefusals.Add(1, new("session.action", action), new("session.reason", refusal.Reason));
        System.Diagnostics.Activity.Current?.AddEvent(new("session.refused", tags: new System.Diagnostics.ActivityTagsCollection
        {
            ["session.action"] = action,
            ["session.reason"] = refusal.Reason,
            ["session.message"] = refusal.Message,
        }));
        return refusal.ToException();
    }

    void IHoldsWatches.WakeWatches() => Signal();

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
