using Microsoft.IdentityModel.JsonWebTokens;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// How long a token was issued for: from its iat (or, without one, its nbf) to its exp. The handler checks that a token
/// is inside its validity window, not how wide the window is; this is what <c>Auth:MaxTokenLifetime</c> bounds.
/// </summary>
public static class TokenLifetime
{
    /// <summary>The token's lifetime; null when it has neither iat nor nbf (nothing to measure from), or no exp.</summary>
    public static TimeSpan? Of(JsonWebToken token)
    {
        if (token.ValidTo == DateTime.MinValue)
        {
            return null;
        }

        var start = token.IssuedAt != DateTime.MinValue ? token.IssuedAt : token.ValidFrom;
        return start == DateTime.MinValue ? null : token.ValidTo - start;
    }
}
