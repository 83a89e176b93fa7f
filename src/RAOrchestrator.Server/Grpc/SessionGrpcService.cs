using Grpc.Core;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Paging;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.SessionService: checks the input, then asks the session's grain.</summary>
public sealed class SessionGrpcService(IGrainFactory grains, IHostApplicationLifetime host) : SessionService.SessionServiceBase
{
    private const string Collection = "sessions";
    // The domain's limit, checked here too so a request over it is refused before any person is resolved.
    private static readonly int MaxInvitees = SessionLimits.Default.MaxInvitees;
    private const int MaxAdmitters = 10;
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(20);

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CreateSessionResponse> CreateSession(CreateSessionRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        if (!IsSessionId(request.SessionId))
        {
            violations.Add("session_id", "must be 1 to 63 lower-case letters, digits and '-'");
        }

        var session = request.Session;
        if (session is null)
        {
            violations.Add("session", "is required");
        }

        var organizer = SessionMapping.ToRef(session?.Organizer, violations, "session.organizer");
        if (organizer is not null && organizer.Kind != PersonKind.TenantUser)
        {
            violations.Add("session.organizer", "must be a tenant_user: a licensed Remote Assist member of the tenant");
        }

        if (session is not null)
        {
            if (session.Invitations.Count > MaxInvitees)
            {
                violations.Add("session.invitations", $"may name at most {MaxInvitees} people");
            }

            if (session.DelegatedAdmitters.Count > MaxAdmitters)
            {
                violations.Add("session.delegated_admitters", $"may name at most {MaxAdmitters} people");
            }
        }

        var invitees = (session?.Invitations ?? []).Take(MaxInvitees)
            .Select((i, n) => SessionMapping.ToRef(i.Person, violations, $"session.invitations[{n}].person")).ToList();
        var admitters = (session?.DelegatedAdmitters ?? []).Take(MaxAdmitters)
            .Select((a, n) => SessionMapping.ToRef(a, violations, $"session.delegated_admitters[{n}]")).ToList();
        var lobby = SessionMapping.ToLobby(session?.Lobby, violations, "session.lobby");
        var start = ProtoTime.Read(session?.StartTime, violations, "session.start_time");
        var end = ProtoTime.Read(session?.EndTime, violations, "session.end_time");
        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var name = $"{ResourceName.Tenant(tenantId)}/{Collection}/{request.SessionId}";
        await Index(tenantId).AddAsync(request.SessionId);
        var spec = new SessionSpec(
            organizer!,
            session!.Subject,
            start,
            end,
            [.. invitees.Select(i => i!)],
            [.. admitters.Select(a => a!)],
            lobby);
        var view = await Named(Grain(name).CreateAsync(request.RequestId, context.Caller().PartnerId, spec), SessionFieldNames.InCreateSession);
        return new CreateSessionResponse { Session = SessionMapping.ToProto(view) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetSessionResponse> GetSession(GetSessionRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var name = ParseName(request.Name, violations, throwNow: false);
        var withTimeline = SessionMapping.WithTimeline(request.View, violations, "view");
        violations.ThrowIfAny();
        var view = await Grain(name).TryGetAsync(context.Caller().PartnerId, withTimeline) ?? throw OrchestratorException.NotFound(name);
        return new GetSessionResponse { Session = SessionMapping.ToProto(view) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        var page = PageRequest.Parse(request.PageSize, request.PageToken, violations);
        var withTimeline = SessionMapping.WithTimeline(request.View, violations, "view");
        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var partnerId = context.Caller().PartnerId;
        var keys = await Index(tenantId).ListAsync(page.After, page.Size);
        var (views, next) = await IndexPage.ResolveAsync(keys, id => Grain($"{ResourceName.Tenant(tenantId)}/{Collection}/{id}").TryGetAsync(partnerId, withTimeline));
        var response = new ListSessionsResponse { NextPageToken = next };
        response.Sessions.AddRange(views.Select(SessionMapping.ToProto));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<InviteToSessionResponse> InviteToSession(InviteToSessionRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var name = ParseName(request.Name, violations, throwNow: false);
        var actor = SessionMapping.ToRef(request.Actor, violations, "actor", required: false);
        if (request.Invitees.Count == 0 || request.Invitees.Count > MaxInvitees)
        {
            violations.Add("invitees", $"must name 1 to {MaxInvitees} people");
        }

        var invitees = request.Invitees.Take(MaxInvitees).Select((p, n) => SessionMapping.ToRef(p, violations, $"invitees[{n}]")).ToList();
        violations.ThrowIfAny();

        var outcome = await Named(Grain(name).InviteAsync(context.Caller().PartnerId, actor, [.. invitees.Select(i => i!)], request.RequestId), SessionFieldNames.InRequest);
        var response = new InviteToSessionResponse();
        response.Added.AddRange(outcome.Added.Select(SessionMapping.ToProto));
        response.AlreadyInvited.AddRange(outcome.AlreadyInvited);
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<JoinSessionResponse> JoinSession(JoinSessionRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var name = ParseName(request.Name, violations, throwNow: false);
        var person = SessionMapping.ToRef(request.Person, violations, "person");
        var client = SessionMapping.ToClient(request.Client, violations, "client");
        if (request.InvitationProof.Length > 64)
        {
            violations.Add("invitation_proof", "must be the proof from an invitation link (43 characters)");
        }

        violations.ThrowIfAny();

        var decision = await Named(Grain(name).JoinAsync(context.Caller().PartnerId, person!, client, request.InvitationProof.Length == 0 ? null : request.InvitationProof), SessionFieldNames.InRequest);
        return new JoinSessionResponse
        {
            Participant = SessionMapping.ToProto(decision.Participant),
            Ticket = SessionMapping.ToProto(decision.Ticket),
        };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<AdmitParticipantResponse> AdmitParticipant(AdmitParticipantRequest request, ServerCallContext context)
    {
        var (name, participant, actor) = ParseDecision(request.Name, request.ParticipantId, request.Actor);
        var change = await Grain(name).AdmitAsync(context.Caller().PartnerId, actor, participant);
        return new AdmitParticipantResponse { Participant = SessionMapping.ToProto(change.Participant), Ticket = SessionMapping.ToProto(change.Ticket) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<DenyParticipantResponse> DenyParticipant(DenyParticipantRequest request, ServerCallContext context)
    {
        var (name, participant, actor) = ParseDecision(request.Name, request.ParticipantId, request.Actor);
        var change = await Grain(name).DenyAsync(context.Caller().PartnerId, actor, participant);
        return new DenyParticipantResponse { Participant = SessionMapping.ToProto(change.Participant) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<RemoveParticipantResponse> RemoveParticipant(RemoveParticipantRequest request, ServerCallContext context)
    {
        var (name, participant, actor) = ParseDecision(request.Name, request.ParticipantId, request.Actor);
        var change = await Grain(name).RemoveAsync(context.Caller().PartnerId, actor, participant);
        return new RemoveParticipantResponse { Participant = SessionMapping.ToProto(change.Participant) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<LeaveSessionResponse> LeaveSession(LeaveSessionRequest request, ServerCallContext context)
    {
        var (name, participant, _) = ParseDecision(request.Name, request.ParticipantId, null);
        var change = await Grain(name).LeaveAsync(context.Caller().PartnerId, participant);
        return new LeaveSessionResponse { Participant = SessionMapping.ToProto(change.Participant) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<RedeemJoinTicketResponse> RedeemJoinTicket(RedeemJoinTicketRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var name = ParseName(request.Name, violations, throwNow: false);
        if (request.Token.Length is 0 or > 1024)
        {
            violations.Add("token", "must be the token of a join ticket");
        }

        violations.ThrowIfAny();
        var redemption = await Grain(name).RedeemAsync(context.Caller().PartnerId, request.Token);
        return new RedeemJoinTicketResponse { JoinUrl = redemption.JoinUrl, ParticipantId = redemption.ParticipantId };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<EndSessionResponse> EndSession(EndSessionRequest request, ServerCallContext context)
    {
        var (name, actor) = ParseClose(request.RequestId, request.Name, request.Actor);
        var view = await Grain(name).EndAsync(context.Caller().PartnerId, actor, request.RequestId);
        return new EndSessionResponse { Session = SessionMapping.ToProto(view) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CancelSessionResponse> CancelSession(CancelSessionRequest request, ServerCallContext context)
    {
        var (name, actor) = ParseClose(request.RequestId, request.Name, request.Actor);
        var view = await Grain(name).CancelAsync(context.Caller().PartnerId, actor, request.RequestId);
        return new CancelSessionResponse { Session = SessionMapping.ToProto(view) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task WatchSession(WatchSessionRequest request, IServerStreamWriter<WatchSessionResponse> responseStream, ServerCallContext context)
    {
        var violations = new Violations();
        var name = ParseName(request.Name, violations, throwNow: false);
        if (request.AfterSequence < 0)
        {
            violations.Add("after_sequence", "must be 0 or the sequence of an event you received");
        }

        violations.ThrowIfAny();

        // One page at a time, each written (with HTTP/2 flow control) before the next is read: a slow watcher slows
        // only itself, and nothing is buffered for it beyond one page.
        var partnerId = context.Caller().PartnerId;
        var after = request.AfterSequence;
        using var ending = WatchStreams.Ending(context, host);
        while (true)
        {
            SessionWatchPage? page;
            try
            {
                page = await Grain(name).WatchAsync(partnerId, after, 100, WatchPoll).WaitAsync(ending.Token);
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested)
            {
                WatchStreams.EndIfHostStopping(host);
                return;
            }

            if (page is null)
            {
                throw OrchestratorException.NotFound(name);
            }

            foreach (var e in page.Page.Events)
            {
                await responseStream.WriteAsync(new WatchSessionResponse { Event = SessionMapping.ToProto(e) }, context.CancellationToken);
                after = e.Sequence;
            }

            if (page.Closed && !page.Page.HasMore && after >= page.Page.LastSequence)
            {
                return;
            }
        }
    }

    /// <summary>The session, the participant (its id, or the last segment of its resource name) and the actor.</summary>
    private (string Name, string Participant, PersonRef? Actor) ParseDecision(string name, string participantId, Person? actor)
    {
        var violations = new Violations();
        var parsed = ParseName(name, violations, throwNow: false);
        var participant = participantId;
        var prefix = $"{parsed}/{ParticipantNames.Collection}/";
        if (parsed.Length > 0 && participantId.StartsWith(prefix, StringComparison.Ordinal) && ParticipantNames.IsSegment(participantId[prefix.Length..]))
        {
            participant = participantId[prefix.Length..];
        }
        else if (participantId.Length is 0 or > 600 || !(participantId.StartsWith("user:", StringComparison.Ordinal) || participantId.StartsWith("guest:", StringComparison.Ordinal)))
        {
            violations.Add("participant_id", "must name a participant of this session as it reports it: its name (name/participants/{participant}) or its id (user:{tenant}/{user} or guest:{email})");
        }

        var who = SessionMapping.ToRef(actor, violations, "actor", required: false);
        violations.ThrowIfAny();
        return (parsed, participant, who);
    }

    private (string Name, PersonRef? Actor) ParseClose(string requestId, string name, Person? actor)
    {
        var violations = new Violations();
        RequestId.Check(requestId, violations);
        var parsed = ParseName(name, violations, throwNow: false);
        var who = SessionMapping.ToRef(actor, violations, "actor", required: false);
        violations.ThrowIfAny();
        return (parsed, who);
    }

    private static string ParseName(string? name, Violations violations, bool throwNow = true)
    {
        var (tenantId, id) = ResourceName.ParseTenantChild(name, Collection, violations);
        if (throwNow)
        {
            violations.ThrowIfAny();
        }

        return tenantId.Length == 0 ? string.Empty : $"{ResourceName.Tenant(tenantId)}/{Collection}/{id}";
    }

    private async Task TenantAsync(ServerCallContext context, string tenantId)
    {
        _ = await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).TryGetAsync(context.Caller().PartnerId)
            ?? throw OrchestratorException.NotFound(ResourceName.Tenant(tenantId));
    }

    /// <summary>The grain's answer, or its refusal with the fields named as this request names them.</summary>
    private static async Task<T> Named<T>(Task<T> call, Func<OrchestratorException, OrchestratorException> inRequestTerms)
    {
        try
        {
            return await call;
        }
        catch (OrchestratorException ex) when (ex.Violations.Count > 0)
        {
            throw inRequestTerms(ex);
        }
    }

    private ISessionGrain Grain(string name) => grains.GetGrain<ISessionGrain>(name);

    private IKeyIndexGrain Index(string tenantId) => grains.GetGrain<IKeyIndexGrain>(ResourceName.SessionIndex(tenantId));

    private static bool IsSessionId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 63 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && id[0] != '-';
}
