using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Cli.Tests.Infrastructure;

/// <summary>A person at the emulator's verification page: enters the code a device shows, their user name and password, and signs in.</summary>
public static class DeviceSignIn
{
    public static async Task EnterCodeAsync(GraphEmulatorServer emulator, string userCode, string userName)
    {
        using var http = emulator.CreateHttpClient();
        using var response = await http.PostAsync("devicelogin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = userCode,
            ["username"] = userName,
            ["password"] = GraphEmulatorOptions.DefaultSignInPassword,
            ["action"] = "accept",
        }));
        var page = await response.Content.ReadAsStringAsync();
        if (!page.Contains("You have signed in", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The sign-in at the verification page failed:\n{page}");
        }
    }
}
