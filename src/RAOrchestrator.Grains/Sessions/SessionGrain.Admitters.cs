using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>
/// The "my sessions" index of each organizer-side user (<see cref="ResourceName.AdmitterSessionIndex"/>), which the
/// lobby console lists. As with the tenant's session index, the id is added before the session is stored as scheduled
/// (a crash in between leaves an id whose session readers do not find), so an open session is always listed. It is
/// removed once the session is closed (ended, cancelled, offboarded); a removal cut short is repeated on the session's
/// next commit or activation, and readers skip closed sessions meanwhile.
/// </summary>
public sealed partial class SessionGrain
{
    // What this activation last made the indexes say: the session listed (true) or not (false); null: not known yet.
    private bool? _admitterIndexes;

    private string SessionId => Name[(Name.LastIndexOf('/') + 1)..];

    /// <summary>Lists the session in, or removes it from, the index of each of its organizer-side users.</summary>
    private async Task IndexAdmittersAsync(SessionState session, bool listed)
    {
        foreach (var user in session.OrganizerSideUserIds)
        {
            var index = GrainFactory.GetGrain<IKeyIndexGrain>(ResourceName.AdmitterSessionIndex(TenantId, user));
            await (listed ? index.AddAsync(SessionId) : index.RemoveAsync(SessionId));
        }

        _admitterIndexes = listed;
    }

    /// <summary>Brings the indexes in line with the session (listed while open); a failure is logged and tried again later.</summary>
    private async Task KeepAdmitterIndexesAsync()
    {
        if (Session is not { } session || _admitterIndexes == !session.IsTerminal)
        {
            return;
        }

        try
        {
            await IndexAdmittersAsync(session, !session.IsTerminal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAdmitterIndexFailed(ex, Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The admitters' session indexes of {Session} could not be updated; the next change or activation tries again")]
    private partial void LogAdmitterIndexFailed(Exception exception, string session);
}
