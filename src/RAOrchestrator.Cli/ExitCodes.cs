namespace RAOrchestrator.Cli;

/// <summary>The exit codes scripts can rely on (documented in the README; never renumber).</summary>
public static class ExitCodes
{
    /// <summary>Done, and everything in the result succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The command ran, but its result has failures (a bulk item failed or needs attention, an operation failed).</summary>
    public const int Failures = 1;

    /// <summary>Wrong usage or input: unknown command or option, a bad manifest, INVALID_ARGUMENT from the service.</summary>
    public const int Usage = 2;

    /// <summary>Not signed in, the token was refused (UNAUTHENTICATED), or it lacks the role (PERMISSION_DENIED).</summary>
    public const int Auth = 3;

    /// <summary>The named resource does not exist or belongs to another partner (NOT_FOUND).</summary>
    public const int NotFound = 4;

    /// <summary>The service could not be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED): retry.</summary>
    public const int Unavailable = 5;

    /// <summary>The request conflicts with the current state (ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION).</summary>
    public const int Conflict = 6;

    /// <summary>A quota or capacity ran out (RESOURCE_EXHAUSTED), e.g. no licence seats left.</summary>
    public const int Quota = 7;

    /// <summary>The service failed (INTERNAL and anything unexpected).</summary>
    public const int Internal = 8;

    /// <summary>Interrupted (Ctrl+C); work already started in the service goes on.</summary>
    public const int Interrupted = 130;
}
