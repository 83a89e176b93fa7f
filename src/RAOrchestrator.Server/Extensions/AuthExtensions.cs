using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Extensions;

public static class AuthExtensions
{
    /// <summary>
    /// Partner bearer tokens, validated for issuer, audience, signature and lifetime by <see cref="PartnerTokenValidator"/>
    /// and remembered by <see cref="PartnerAuthenticator"/>. Nothing is decided here: the gRPC authorization
    /// interceptor authenticates and authorizes each call, so refusals carry google.rpc details like every other error.
    /// </summary>
    public static WebApplicationBuilder AddPartnerAuthentication(this WebApplicationBuilder builder, AuthOptions auth)
    {
        builder.Services.AddSingleton(services => new PartnerTokenValidator(auth, services.GetRequiredService<ILogger<PartnerTokenValidator>>()));
        builder.Services.AddSingleton<PartnerAuthenticator>();
        return builder;
    }
}
