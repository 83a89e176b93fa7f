using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>The scheduling saga: the request is stored as pending before the Teams meeting is made, so a crash resumes it (at activation or by the reminder) and a retry with the same request id answers the same session.</summary>
public sealed partial class SessionGrain
{
    public async Task<SessionView> CreateAsync(string requestId, string partnerId, SessionSpec spec)
    {
        if (Session is not null || Stored.Pending is not null)
        {
            // An empty request id is no key: two calls without one are two requests, not a retry.
            if (requestId.Length == 0 || requestId != Stored.RequestId || partnerId != Stored.PartnerId)
            {
                throw new OrchestratorException(ErrorKind.AlreadyExists, "SESSION_EXISTS", $"{Name} already exists.");
            }

            if (Session is not null)
            {
                return View();
            }

            spec = Stored.Pending!;
        }

        using var activity = Telemetry.Source.StartActivity("session.schedule");
        activity?.SetTag("raorchestrator.session", Name);
        var tenant = await TenantAsync(partnerId);
        var (request, inputs) = await PrepareAsync(tenant, spec);
        if (SessionState.CheckSchedule(request, inputs, time.GetUtcNow()) is { } refusal)
        {
            await ForgetPendingAsync();
            throw Refused(refusal, "schedule");
        }

        if (Stored.Pending is null)
        {
            await _log.WriteAsync(new SessionGrainState { PartnerId = partnerId, RequestId = requestId, Pending = spec }).OrDeactivateAsync(this);
            await SetReminderAsync(time.GetUtcNow() + ReminderPeriod);
        }

        return await ScheduleAsync(tenant, request, inputs);
    }

    private async Task ResumeSchedulingAsync()
    {
        if (Stored.Pending is not { } spec || Session is not null)
        {
            return;
        }

        try
        {
            if (await ResumingTenantAsync() is not { } tenant)
            {
                return;
            }

            var (request, inputs) = await PrepareAsync(tenant, spec);
            if (SessionState.CheckSchedule(request, inputs, time.GetUtcNow()) is { } refusal)
            {
                LogResumeRefused(Name, refusal.Reason);
                await ForgetPendingAsync();
                return;
            }

            await ScheduleAsync(tenant, request, inputs);
        }
        catch (Exception ex) when (ex is not OrchestratorException { Kind: not ErrorKind.Unavailable })
        {
            LogResumeFailed(ex, Name);
        }
    }

    private async Task<SessionView> ScheduleAsync(TenantView tenant, ScheduleRequest request, SessionPolicyInputs inputs)
    {
        var settings = options.Value;
        var lobby = request.Lobby ?? new LobbySettings(inputs.Organizer.Policy.AutoAdmittedUsers, false, false, LobbySettings.DefaultMaxLobbyWait);
        var teamsLobby = LobbyPolicy.ForTeamsMeeting(lobby, gateFrontsMeeting: true);
        var attendees = request.Invitees.Where(p => p.Email is not null).Select(p => p.Email!).Distinct(StringComparer.Ordinal).ToList();
        CreatedMeeting created;
        try
        {
            created = await directory.CreateMeetingAsync(TenantId, new MeetingRequest(
                inputs.Organizer.User.UserId!,
                request.Subject.Trim(),
                request.Start!.Value,
                request.End!.Value,
                attendees,
                teamsLobby.Scope,
                teamsLobby.IsDialInBypassEnabled,
                Name,
                GateLinks.InvitationHtml(settings.GateUrl, Name, request.Subject.Trim(), inputs.Organizer.User.DisplayName, request.Start.Value, request.End.Value)));
        }
        catch (OrchestratorException ex) when (ex.Kind != ErrorKind.Unavailable)
        {
            // A lasting refusal (no application access policy, ...): nothing to resume; the caller may fix it and retry.
            await ForgetPendingAsync();
            throw;
        }

        var decision = SessionState.Schedule(request, inputs, new OnlineMeeting(created.JoinUrl, created.OnlineMeetingId, teamsLobby), time.GetUtcNow());
        if (!decision.Succeeded)
        {
            await ForgetPendingAsync();
            throw Refused(decision.Refusal!, "schedule");
        }

        await IndexAdmittersAsync(decision.Value!, listed: true); // before the session is stored: an open session is always listed
        await _log.WriteAsync(new SessionGrainState { PartnerId = Stored.PartnerId, RequestId = Stored.RequestId, Session = decision.Value }).OrDeactivateAsync(this);
        Telemetry.SessionsScheduled.Add(1);
        await ArmClockAsync();
        Signal();
        return View();
    }

    private async Task<(ScheduleRequest Request, SessionPolicyInputs Inputs)> PrepareAsync(TenantView tenant, SessionSpec spec)
    {
        // A tenant that needs attention may still meet (say, across tenants with anonymous join off); the rules refuse
        // what its settings do not allow. One still onboarding or being offboarded may not.
        if (tenant.Lifecycle is TenantLifecycle.Onboarding or TenantLifecycle.Offboarding)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "TENANT_NOT_ACTIVE",
                $"{ResourceName.Tenant(TenantId)} is {tenant.Lifecycle}; sessions can be scheduled once onboarding has finished.");
        }

        var organizer = await Facts.ResolveAsync(spec.Organizer, SessionFields.Organizer);
        var invitees = await ResolveAllAsync(spec.Invitees, SessionFields.Invitees);
        var admitters = await ResolveAllAsync(spec.DelegatedAdmitters, SessionFields.DelegatedAdmitters);
        var request = new ScheduleRequest(Name, spec.Subject, spec.Start, spec.End, spec.Start is null || spec.End is null, invitees, admitters, spec.Lobby);
        var inputs = await Facts.InputsAsync(tenant.Settings, organizer, invitees, BarrierActivity.InviteToMeeting, readLicence: true);
        return (request, inputs);
    }

    private async Task<ImmutableArray<Principal>> ResolveAllAsync(IReadOnlyList<PersonRef> people, string field)
    {
        var resolved = ImmutableArray.CreateBuilder<Principal>(people.Count);
        for (var i = 0; i < people.Count; i++)
        {
            resolved.Add(await Facts.ResolveAsync(people[i], $"{field}[{i}]"));
        }

        return resolved.MoveToImmutable();
    }

    private async Task ForgetPendingAsync()
    {
        if (Stored.Pending is not null && Session is null)
        {
            await _log.ClearAsync();
            await SetReminderAsync(null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming the scheduling of {Session} failed; the reminder retries")]
    private partial void LogResumeFailed(Exception exception, string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The interrupted scheduling of {Session} is now refused ({Reason}); it was dropped")]
    private partial void LogResumeRefused(string session, string reason);
}
