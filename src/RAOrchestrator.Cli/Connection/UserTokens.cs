using Microsoft.Identity.Client;
using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Client;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// A person's tokens through MSAL: the device code sign-in, and then for every call a token from the cache, refreshed
/// silently with the refresh token when it has expired (or is about to), so a long onboard or watch outlives its first
/// access token.
/// </summary>
public sealed class UserTokens(IPublicClientApplication app, UserSignIn signIn, TokenCache cache) : ITokenProvider
{
    private readonly IPublicClientApplication _app = app;
    private readonly UserSignIn _signIn = signIn;

    public TokenCache Cache { get; } = cache;

    public static async Task<UserTokens> OpenAsync(UserSignIn signIn, string configDirectory)
    {
        IPublicClientApplication app;
        try
        {
            // Not only login.microsoftonline.com: the authority is taken as given (no instance discovery), as for the emulator.
            app = PublicClientApplicationBuilder.Create(signIn.ClientId)
                .WithAuthority(signIn.Authority, validateAuthority: false)
                .WithInstanceDiscovery(false)
                .WithHttpClientFactory(new PinnedHttpClientFactory(signIn.AuthorityCertificateSha256))
                .Build();
        }
        catch (Exception ex) when (ex is ArgumentException or MsalClientException or UriFormatException)
        {
            throw CliException.Usage($"The sign-in settings are not valid: {ex.Message}", "Check --authority (https://host/tenant), --client-id and --authority-cert-sha256.");
        }

        var cache = await TokenCache.OpenAsync(configDirectory);
        cache.Register(app.UserTokenCache);
        return new UserTokens(app, signIn, cache);
    }

    /// <summary>Signs a person in: <paramref name="show"/> tells them where to go and which code to enter; returns the account id.</summary>
    public async Task<string> SignInAsync(Func<string, Task> show, CancellationToken cancellationToken)
    {
        var result = await Call(() => _app.AcquireTokenWithDeviceCode(_signIn.Scopes, code => show(code.Message)).ExecuteAsync(cancellationToken));
        return result.Account.HomeAccountId.Identifier;
    }

    /// <summary>The signed-in account's access token: from the cache, or refreshed silently.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var account = _signIn.Account is { } id ? await _app.GetAccountAsync(id) : null;
        if (account is null)
        {
            throw new CliException(ExitCodes.Auth, "Not signed in: the token cache has no sign-in for this profile.", "Run raorch login again.");
        }

        try
        {
            return (await Call(() => _app.AcquireTokenSilent(_signIn.Scopes, account).ExecuteAsync(cancellationToken))).AccessToken;
        }
        catch (MsalUiRequiredException ex)
        {
            throw new CliException(ExitCodes.Auth, $"The sign-in has expired or was revoked ({ex.ErrorCode}).", "Run raorch login again.");
        }
    }

    /// <summary>Forgets the account's tokens.</summary>
    public async Task SignOutAsync()
    {
        if (_signIn.Account is { } id && await _app.GetAccountAsync(id) is { } account)
        {
            await _app.RemoveAsync(account);
        }
    }

    private async Task<AuthenticationResult> Call(Func<Task<AuthenticationResult>> call)
    {
        try
        {
            return await call();
        }
        catch (MsalServiceException ex) when (ex is not MsalUiRequiredException)
        {
            throw new CliException(ExitCodes.Auth, $"The sign-in at {_signIn.Authority} failed: {ex.ErrorCode}: {FirstLine(ex.Message)}",
                "Check --authority, --client-id and --scope (raorch login --help), then sign in again.");
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"The sign-in authority {_signIn.Authority} could not be reached ({ex.Message}).",
                "Check --authority, and --authority-cert-sha256 for a self-signed issuer.");
        }
        catch (MsalClientException ex) when (ex.ErrorCode == MsalError.CodeExpired)
        {
            throw new CliException(ExitCodes.Auth, "Nobody entered the code before it expired.", "Run raorch login again and enter the code it shows.");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
