using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Web.SignIn;

/// <summary>An authority's redirect back to a page after sign-in: accepted once, by the browser that started it.</summary>
public static class SignInCallback
{
    private const int MaxStateLength = 200;
    private const int MaxCodeLength = 4096;

    /// <summary>
    /// The redirect's authorization code when its state is the one this browser's pending sign-in expects; refuses a
    /// sign-in not started here (or already finished: the pending sign-in is taken as it is read), one the authority
    /// refused, and one without a code. <paramref name="again"/> tells the person where to start over.
    /// </summary>
    public static string Code(IQueryCollection query, string? expectedState, string again)
    {
        var state = query["state"].ToString();
        if (expectedState is null || state.Length is 0 or > MaxStateLength || !PageCookies.TokenMatches(expectedState, state))
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.SignInExpired,
                $"This sign-in was not started in this browser, was already used, or took too long. {again}");
        }

        if (query["error"].ToString() is { Length: > 0 } error)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.SignInInvalid,
                $"The sign-in did not complete ({OrchestratorException.Quote(error)}). {again}");
        }

        return query["code"].ToString() is { Length: > 0 and < MaxCodeLength } code ? code : throw OrchestratorException.Invalid("code", "is required");
    }
}
