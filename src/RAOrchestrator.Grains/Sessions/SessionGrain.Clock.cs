using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>The clock: a one-shot grain timer at the next deadline while active, and a reminder no later than it that survives a crash.</summary>
public sealed partial class SessionGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderDue = null;
        if (Session is null && Stored.Pending is not null)
        {
            await ResumeSchedulingAsync();
            return;
        }

        await TickAsync();
    }

    private async Task TickAsync()
    {
        _timerFor = null; // a one-shot timer that fired (or a tick from elsewhere): arm again below
        if (Session is null)
        {
            await SetReminderAsync(null);
            return;
        }

        if (!Session.IsTerminal)
        {
            var step = Session.Tick(time.GetUtcNow());
            if (step.Events.Length > 0)
            {
                await CommitAsync(step, "tick");
            }
        }

        await SettleMeetingQuietlyAsync();
        await ArmClockAsync();
    }

    /// <summary>A timer at the next deadline while active, and a reminder no later than it that survives a crash.</summary>
    private async Task ArmClockAsync()
    {
        var next = Session?.NextDeadline;
        if (Session is { } owing && owing.MeetingWorkDue())
        {
            // Graph work still owed (a meeting to replace or delete): try again within a reminder period.
            var retry = time.GetUtcNow() + ReminderPeriod;
            next = next is { } n && n < retry ? n : retry;
        }

        if (_timer is not null && next == _timerFor && next > time.GetUtcNow())
        {
            // Already armed for this deadline (the common case: a join or an admission that moves no deadline).
            return;
        }

        _timer?.Dispose();
        _timer = null;
        _timerFor = null;
        if (next is null)
        {
            await SetReminderAsync(null);
            return;
        }

        var due = next.Value - time.GetUtcNow();
        _timerFor = next;
        _timer = this.RegisterGrainTimer(static (grain, _) => grain.TickAsync(), this,
            new GrainTimerCreationOptions { DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = false });
        if (_reminderDue is not { } registered || registered > next.Value)
        {
            await SetReminderAsync(next.Value);
        }
    }

    private async Task SetReminderAsync(DateTimeOffset? due)
    {
        if (due is null)
        {
            if (await this.GetReminder(TickReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderDue = null;
            return;
        }

        var wait = due.Value - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(TickReminder, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, ReminderPeriod);
        _reminderDue = due;
    }
}
