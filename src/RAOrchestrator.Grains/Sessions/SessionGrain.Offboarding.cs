using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>What happens to a session when its tenant goes away: it closes, its Teams meeting goes, its clock stops.</summary>
public sealed partial class SessionGrain
{
    public async Task CloseForOffboardingAsync()
    {
        if (Session is { } session)
        {
            if (!session.IsTerminal)
            {
                var actor = SessionActor.Partner(Stored.PartnerId);
                var now = time.GetUtcNow();
                var step = session.Status == SessionStatus.Scheduled ? session.Cancel(actor, now) : session.EndSession(actor, now);
                if (step.Succeeded)
                {
                    await CommitAsync(step, "offboard");
                }
            }

            await IndexAdmittersAsync(session, listed: false); // off its admitters' lists, also when it had closed before

            // The join URL is a bearer secret while the meeting exists: it must not outlive the tenant's onboarding.
            if (session.Meeting.MeetingId is { Length: > 0 } meetingId && session.Organizer.UserId is { Length: > 0 } organizer)
            {
                await directory.DeleteMeetingAsync(TenantId, organizer, meetingId);
            }
        }

        _timer?.Dispose();
        _timer = null;
        _timerFor = null;
        await SetReminderAsync(null);
        await _log.ClearAsync();
        Signal();
    }

    /// <summary>
    /// The tenant for resuming an interrupted scheduling (sessions go with their tenant to a new owner), or null when
    /// nobody owns it any more: then nothing will ever schedule this session, so it is dropped and its reminder stops
    /// instead of trying again every minute.
    /// </summary>
    private async Task<TenantView?> ResumingTenantAsync()
    {
        var tenants = GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(TenantId));
        if (await tenants.GetOwnerAsync() is { } owner && await tenants.TryGetAsync(owner) is { } tenant)
        {
            return tenant;
        }

        LogResumeRefused(Name, Reasons.NotFound);
        await ForgetPendingAsync();
        return null;
    }
}
