namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>The least configuration <c>ServerApp.Build</c> accepts, for tests that build a host without starting it.</summary>
public static class MinimalHostArgs
{
    public static readonly string[] Valid =
    [
        "--Auth:Issuer=https://issuer.test",
        "--Auth:SigningKey=" + Convert.ToBase64String(new byte[32]),
        "--Graph:ClientId=6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90",
        "--Graph:ClientSecret=not-used",
        // The host's environment is Production unless told otherwise, and a development key is for demonstrations only there.
        "--Demo:Enabled=true",
    ];
}
