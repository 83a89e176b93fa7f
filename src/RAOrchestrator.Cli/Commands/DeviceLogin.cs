using RAOrchestrator.Cli.Connection;

namespace RAOrchestrator.Cli.Commands;

/// <summary>
/// <c>raorch login</c> as a person: the device code flow (open the page, enter the code, sign in; raorch waits), a call that
/// proves the sign-in, then the profile (without tokens: those stay in the token cache, refreshed as they expire).
/// </summary>
public static class DeviceLogin
{
    public static async Task<int> RunAsync(CommandContext context, UserSignIn settings, ClaimNames claimNames, CancellationToken cancellationToken)
    {
        var signing = await UserTokens.OpenAsync(settings, context.Host.ConfigDirectory);
        // On stderr, so the JSON output (-o json) stays one object on stdout.
        var account = await signing.SignInAsync(message => context.Host.Error.WriteLineAsync(message), cancellationToken);

        var signIn = settings with { Account = account };
        var tokens = await UserTokens.OpenAsync(signIn, context.Host.ConfigDirectory);
        await LoginCommands.CheckAsync(context, tokens, cancellationToken);

        var claims = TokenClaims.TryRead(await tokens.GetTokenAsync(cancellationToken), claimNames);
        var profile = new Profiles.Profile(context.Connection.Address, null, context.Connection.CertificateSha256) { SignIn = signIn, Claims = claimNames };
        LoginCommands.Report(context, LoginCommands.Save(context.Host, context, profile), claims, tokens.Cache);
        return ExitCodes.Ok;
    }
}
