namespace RAOrchestrator.Client;

/// <summary>Gives the partner bearer token (a JWT) to send with each call; called once per call, so it may refresh.</summary>
public interface ITokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>A token that does not change, e.g. from <c>raorch login</c> or an environment variable.</summary>
public sealed class StaticTokenProvider(string token) : ITokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);
}

/// <summary>A token from a delegate, e.g. a client-credentials request that caches until shortly before expiry.</summary>
public sealed class DelegateTokenProvider(Func<CancellationToken, ValueTask<string>> getToken) : ITokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => getToken(cancellationToken);
}
