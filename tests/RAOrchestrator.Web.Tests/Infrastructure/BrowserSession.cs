using System.Collections.Concurrent;
using Microsoft.Playwright;
using IRequest = Microsoft.Playwright.IRequest;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>
/// A person's browser window for one test: its page, and a record of every request it made, every document it
/// received and every console error (a Content-Security-Policy violation is one).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<IRequest> _requests = new();
    private readonly ConcurrentQueue<IResponse> _documents = new();
    private readonly ConcurrentQueue<string> _errors = new();

    public BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        context.Request += (_, request) => _requests.Enqueue(request);
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "document")
            {
                _documents.Enqueue(response);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => _errors.Enqueue(error);
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>Every URL the browser asked for, in order: documents, form posts, redirects' targets, styles, images.</summary>
    public IReadOnlyList<Uri> Requests => _requests.Select(r => new Uri(r.Url)).ToList();

    /// <summary>The documents (pages) the browser received, redirects included, in order.</summary>
    public IReadOnlyList<IResponse> Documents => _documents.ToList();

    public IReadOnlyList<string> ConsoleErrors => _errors.ToList();

    /// <summary>The page now shown, as the browser received it.</summary>
    public IResponse LastDocument => _documents.Last();

    /// <summary>Where <see cref="ScreenshotAsync"/> writes: screenshots/ under the test output.</summary>
    public static string ScreenshotFolder => System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves what the page shows now as screenshots/{name}.png under the test output (for reviewing a page state, or the docs).</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
