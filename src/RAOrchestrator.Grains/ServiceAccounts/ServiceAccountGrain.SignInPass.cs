using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Grains.ServiceAccounts;

/// <summary>
/// Sign-in passes: issued through the directory, recorded in the account's timeline without the pass; returned once to
/// the caller, or mailed as a one-time link to the vendor contact (the pass waits sealed in a <see cref="IPassHandoffGrain"/>).
/// </summary>
public sealed partial class ServiceAccountGrain
{
    /// <summary>How many issued passes the account's timeline keeps (and so how many request ids a retry is recognized by).</summary>
    public const int PassHistoryLimit = 20;

    public async Task<SignInPassAnswer> IssueSignInPassAsync(string requestKey, SignInPassAsk ask)
    {
        if (!State.Exists)
        {
            throw OrchestratorException.NotFound(Name);
        }

        var earlier = requestKey.Length > 0 ? State.SignInPasses.FindLastIndex(p => p.RequestKey == requestKey) : -1;
        if (earlier >= 0 && (State.SignInPasses[earlier].Delivery == PassDelivery.Return || State.SignInPasses[earlier].MailTime is not null))
        {
            // A repeat: the pass was shown (or mailed) to the first call only and never stored; answer its metadata and issue none.
            return new SignInPassAnswer(State.Spec!.UserPrincipalName, string.Empty, State.SignInPasses[earlier], Replayed: true);
        }

        RequireActive("get a sign-in pass");
        (PassMailing, VendorContact)? mailing = ask.Delivery == PassDelivery.Mail ? MailingOf(ask) : null;
        var policy = await passes.GetPassPolicyAsync(TenantId);
        var terms = PassRequestRules.Check(policy, ask.LifetimeMinutes, ask.UsableOnce, "lifetime", "usable_once");

        // Graph keeps one pass per user: this replaces any earlier one. A crash before the record below is written
        // leaves that pass unrecorded; a retry then issues a new one, which replaces it, so one usable pass remains.
        var issued = await passes.CreatePassAsync(TenantId, State.UserId, terms);
        await EndWaitingHandoffsAsync(PassHandoffEnd.Replaced);
        if (earlier >= 0)
        {
            // The same request whose mail may not have gone out: its record is replaced by this one.
            State.SignInPasses.RemoveAt(earlier);
        }

        if (mailing is null)
        {
            var returned = new IssuedPassRecord(requestKey, issued.MethodId, issued.StartsAt, issued.ExpiresAt, issued.IsUsableOnce, ask.Delivery);
            await RecordPassAsync(returned);
            return new SignInPassAnswer(State.Spec!.UserPrincipalName, issued.Pass, returned, Replayed: false);
        }

        return await MailAsync(requestKey, ask, issued, mailing.Value);
    }

    public async Task RecordPassViewedAsync(string handoffId, DateTimeOffset viewedAt)
    {
        var index = State.SignInPasses.FindLastIndex(p => p.HandoffId == handoffId);
        if (!State.Exists || index < 0 || State.SignInPasses[index].ViewTime is not null)
        {
            return;
        }

        State.SignInPasses[index] = State.SignInPasses[index] with { ViewTime = viewedAt };
        State.UpdateTime = time.GetUtcNow();
        State.Version++;
        await state.WriteOrDeactivateAsync(this);
    }

    /// <summary>
    /// Seals the pass under a new link's key in its handoff, records the issue (so a retry can end that handoff), then
    /// mails the link. A mail Graph refuses ends the handoff and deletes the pass: nobody can have it, and a retry of
    /// the same request starts again.
    /// </summary>
    private async Task<SignInPassAnswer> MailAsync(string requestKey, SignInPassAsk ask, IssuedPass issued, (PassMailing Mailing, VendorContact Contact) to)
    {
        var link = PassLink.New();
        var upn = State.Spec!.UserPrincipalName;
        var handoff = GrainFactory.GetGrain<IPassHandoffGrain>(link.Keys.HandoffId);
        await handoff.OpenAsync(new PassHandoffOpening(TenantId, Name, to.Mailing.TenantName, upn, to.Mailing.Sender, to.Contact.Email,
            issued.ExpiresAt, issued.IsUsableOnce, PassSeal.Seal(link.Keys, issued.Pass)));
        var record = new IssuedPassRecord(requestKey, issued.MethodId, issued.StartsAt, issued.ExpiresAt, issued.IsUsableOnce, ask.Delivery, link.Keys.HandoffId);
        await RecordPassAsync(record);

        try
        {
            await mail.SendAsync(TenantId, PassMails.Link(to.Mailing.Sender, to.Contact.Email, to.Mailing.TenantName, upn, $"{to.Mailing.PageUrl}#{link.Text}", issued.ExpiresAt));
        }
        catch (OrchestratorException)
        {
            // Ended as replaced: if the mail went out after all, a retry's newer mail is the one to use.
            await handoff.EndAsync(PassHandoffEnd.Replaced);
            await DeletePassesAsync();
            State.SignInPasses.Remove(record);
            await state.WriteOrDeactivateAsync(this);
            throw;
        }

        var mailed = record with { MailTime = time.GetUtcNow() };
        State.SignInPasses[State.SignInPasses.IndexOf(record)] = mailed;
        await state.WriteOrDeactivateAsync(this);
        return new SignInPassAnswer(upn, string.Empty, mailed, Replayed: false);
    }

    /// <summary>What a mailed pass needs before anything is issued: the vendor contact, and the tenant's sender mailbox.</summary>
    private (PassMailing, VendorContact) MailingOf(SignInPassAsk ask)
    {
        if (State.Spec!.VendorContact is not { } contact)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, PassHandoffRefusals.VendorContactMissing,
                $"{Name} has no vendor contact to mail the pass to; set the account's vendor_contact (UpdateServiceAccount), or issue with DELIVERY_RETURN.",
                [new FieldViolation("vendor_contact", "is required to mail a pass: the expert's own e-mail address")]);
        }

        if (ask.Mailing is not { Sender.Length: > 0 } mailing)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, PassHandoffRefusals.MailSenderNotSet,
                $"Tenant {TenantId} has no sender mailbox for pass mails; set the tenant's mail_sender (UpdateTenant) to a mailbox of the tenant, or issue with DELIVERY_RETURN.",
                [new FieldViolation("mail_sender", "is required on the tenant to mail a pass: a mailbox of the tenant, such as remote-assist@contoso.com")]);
        }

        return (mailing, contact);
    }

    private async Task RecordPassAsync(IssuedPassRecord record)
    {
        State.SignInPasses.Add(record);
        if (State.SignInPasses.Count > PassHistoryLimit)
        {
            State.SignInPasses.RemoveRange(0, State.SignInPasses.Count - PassHistoryLimit);
        }

        State.UpdateTime = time.GetUtcNow();
        State.Version++;
        await state.WriteOrDeactivateAsync(this);
    }

    /// <summary>Ends every mailed pass of the account still waiting for its expert; an ended one is done, so a repeat is harmless.</summary>
    private Task EndWaitingHandoffsAsync(PassHandoffEnd end) =>
        Task.WhenAll(State.SignInPasses
            .Where(p => p.HandoffId.Length > 0 && p.ViewTime is null && p.ExpireTime > time.GetUtcNow())
            .Select(p => GrainFactory.GetGrain<IPassHandoffGrain>(p.HandoffId).EndAsync(end)));
}
