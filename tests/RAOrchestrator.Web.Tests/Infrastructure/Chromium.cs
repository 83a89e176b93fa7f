using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for a test collection, launched through Playwright from <see cref="SystemChromium"/>; each
/// test opens its own context (<see cref="NewSessionAsync"/>), so tests share no cookies and stay fast.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <param name="hosts">
    /// Host names the browser resolves to a loopback server of the test instead (teams.microsoft.com to the emulator,
    /// which serves Teams' join path), so a redirect to a real-looking URL lands on a page the test can check.
    /// </param>
    /// <param name="trusted">Self-signed servers the browser trusts by their key (the emulator's), and no others.</param>
    public static async Task<Chromium> LaunchAsync(IReadOnlyDictionary<string, Uri> hosts, params X509Certificate2[] trusted)
    {
        var executable = SystemChromium.Path();
        // Nothing here installs browsers; this keeps any Playwright step from trying to.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var pins = string.Join(',', trusted.Select(c => Convert.ToBase64String(SHA256.HashData(c.PublicKey.ExportSubjectPublicKeyInfo()))));
            var rules = string.Join(',', hosts.Select(h => $"MAP {h.Key} {h.Value.Host}:{h.Value.Port}"));
            var args = new List<string>();
            if (pins.Length > 0)
            {
                args.Add($"--ignore-certificate-errors-spki-list={pins}");
            }

            if (rules.Length > 0)
            {
                args.Add($"--host-resolver-rules={rules}");
            }

            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = args });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh browser context (no cookies) with one page whose requests, documents and console errors are recorded.</summary>
    public async Task<BrowserSession> NewSessionAsync(BrowserNewContextOptions? options = null)
    {
        var context = await _browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000); // Expect waits as long as actions do: a busy CI machine is slow, not wrong
        return new BrowserSession(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
