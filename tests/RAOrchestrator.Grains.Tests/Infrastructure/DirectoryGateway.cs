using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RAOrchestrator.Directory;
using RAOrchestrator.Directory.Throttling;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Mail;
using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// The real Graph gateway (Graph SDK and Azure.Identity) pointed at the emulator, as the host builds it, except that it
/// makes one attempt a request: a failure the emulator is told to give reaches the grain at once, whose own retries run
/// on the clock the tests move. The gateway keeps real time (token lifetimes, throttling waits are Graph's business).
/// </summary>
internal static class DirectoryGateway
{
    public static void AddDirectoryGateway(this IServiceCollection services, GraphEmulatorServer emulator)
    {
        var options = new GraphOptions
        {
            AuthorityHost = emulator.BaseAddress.ToString(),
            BaseUrl = emulator.GraphBaseUrl,
            ClientId = TestEmulator.AppId,
            ClientSecret = TestEmulator.AppSecret,
            PinnedCertificateSha256 = emulator.CertificateSha256Thumbprint,
            MaxAttempts = 1,
        };
        var governor = new GraphRateGovernor(options.Budgets, TimeProvider.System);
        services.AddSingleton(new MspApp(TestEmulator.AppId));
        services.AddSingleton<IDirectoryWriteBudget>(governor);
        services.AddSingleton(_ => new TenantGraphClients(options, governor, TimeProvider.System, NullLoggerFactory.Instance));
        services.AddSingleton(sp => new GraphDirectoryGateway(sp.GetRequiredService<TenantGraphClients>(), governor, TimeProvider.System));
        services.AddSingleton<IDirectoryGateway>(sp => sp.GetRequiredService<GraphDirectoryGateway>());
        services.AddSingleton<ISignInPassGateway>(sp => sp.GetRequiredService<GraphDirectoryGateway>());
        services.AddSingleton<IMailGateway>(sp => sp.GetRequiredService<GraphDirectoryGateway>());
    }
}
