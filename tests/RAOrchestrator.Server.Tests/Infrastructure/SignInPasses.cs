using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Sign-in pass requests, a tenant's pass policy in the emulator, and whether a pass signs in there.</summary>
public static class SignInPasses
{
    public static IssueSignInPassRequest Issue(string name, TimeSpan? lifetime) => new()
    {
        Name = name,
        RequestId = TestIds.NewRequestId(),
        Lifetime = lifetime is { } given ? Duration.FromTimeSpan(given) : null,
        Delivery = Delivery.Return,
    };

    /// <summary>The tenant's Temporary Access Pass policy in the emulator: 60 to 480 minutes, reusable, <paramref name="length"/> characters.</summary>
    public static void SetPolicy(GraphEmulator.GraphEmulatorServer emulator, string tenantId, bool enabled, int length = 8)
    {
        lock (emulator.State.Sync)
        {
            emulator.State.Tenants[tenantId].TemporaryAccessPassPolicy = new TemporaryAccessPassPolicyData
            {
                State = enabled ? "enabled" : "disabled",
                DefaultLength = length,
            };
        }
    }

    /// <summary>Whether the emulator's sign-in page takes <paramref name="pass"/> as the user's password (the check its form POST runs).</summary>
    public static bool SignsIn(GraphEmulator.GraphEmulatorServer emulator, string tenantId, string upn, string pass) =>
        UserCredentials.Check(emulator.State, emulator.State.Tenants[tenantId], upn, pass, emulator.Options).User is not null;
}
