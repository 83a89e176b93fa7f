using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Web;
using RAOrchestrator.Server.Web.Approval;
using RAOrchestrator.Server.Web.Gate;
using RAOrchestrator.Server.Web.Passes;
using RAOrchestrator.Server.Web.Console;
using RAOrchestrator.Server.Web.SignIn;

namespace RAOrchestrator.Server.Extensions;

public static class WebPageExtensions
{
    /// <summary>The pages people use (the tenant approval page, the lobby console) and what they need: links, and the Entra sign-in.</summary>
    public static WebApplicationBuilder AddWebPages(this WebApplicationBuilder builder, WebOptions web)
    {
        builder.Services.AddSingleton(web);
        builder.Services.AddSingleton<WebLinks>();
        builder.Services.AddSingleton<EntraSignIn>();
        // One key ring for the cluster, in its storage: a console cookie written by one host is read by every host.
        builder.Services.AddDataProtection().SetApplicationName("raorchestrator-web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<Azure.Data.Tables.TableServiceClient>((options, tables) => options.XmlRepository = new PageKeyRing(tables));
        builder.Services.AddSingleton<ConsoleCookies>();
        builder.Services.AddSingleton<ConsoleSessions>();
        builder.Services.AddSingleton<StaffSignIn>();
        builder.Services.AddSingleton<StaffSessions>();
        builder.Services.AddRateLimiter(o => PagePostLimits.Configure(o, web));
        return builder;
    }

    /// <summary>Pages answer only on the web endpoint's port.</summary>
    public static WebApplication MapWebPages(this WebApplication app, WebOptions web)
    {
        var host = $"*:{new Uri(web.Url).Port}";
        app.UseRateLimiter();
        app.MapGet("/assets/site.css", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(Html.Stylesheet, "text/css; charset=utf-8");
        }).RequireHost(host);
        // Browsers ask every site for its icon; the pages have none, and "no content" is not an error in the browser's
        // console or the host's logs, as a 404 is.
        app.MapGet("/favicon.ico", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.NoContent();
        }).RequireHost(host);
        app.MapApprovalPages(host);
        app.MapGatePages(host);
        app.MapPassPages(host);
        app.MapLobbyConsole(host);
        app.MapStaffConsole(host);
        return app;
    }
}
