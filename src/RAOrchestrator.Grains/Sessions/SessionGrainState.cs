using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>
/// A session grain's stored state: the session aggregate once scheduled; before that, the request being scheduled, so a
/// crash between creating the Teams meeting and storing the session resumes (the meeting is found again by its key).
/// </summary>
[GenerateSerializer, Alias("raorch.sessions.SessionGrainState")]
public sealed class SessionGrainState
{
    [Id(0)] public string PartnerId { get; set; } = string.Empty;

    [Id(1)] public string RequestId { get; set; } = string.Empty;

    [Id(2)] public SessionState? Session { get; set; }

    [Id(3)] public SessionSpec? Pending { get; set; }
}
