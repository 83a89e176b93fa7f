using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>
/// The "my sessions" index of each organizer-side user (<see cref="ResourceName.AdmitterSessionIndex"/>), which the
/// lobby console lists. As with the tenant's session index, the id is added before the session is stored as scheduled
/// (a crash in between leaves an id whose session readers do not find), so an open session is always listed, and an
/// activation takes that as known rather than calling the indexes again. The id is removed by the commit that closes the
/// session (ended, cancelled, elapsed) and when it is offboarded; a removal that fails or is cut short by a crash leaves
/// an id of a closed session, which the console skips and removes from its user's index as it reads it.
/// </summary>
public sealed partial class SessionGrain
{
    // What the indexes say: the session listed (true) or not (false); null: no session.
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

    /// <summary>Takes a session that a commit closed off the indexes; a failure is logged (the console's reads repair it).</summary>
    private async Task UnlistIfClosedAsync()
    {
        if (Session is not { IsTerminal: true } session || _admitterIndexes is not true)
        {
            return;
        }

        try
        {
            await IndexAdmittersAsync(session, listed: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAdmitterIndexFailed(ex, Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The admitters' session indexes still list the closed {Session}; the console removes it as it reads them")]
    private partial void LogAdmitterIndexFailed(Exception exception, string session);
}
