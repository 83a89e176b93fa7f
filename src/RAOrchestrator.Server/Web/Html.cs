using System.Text;
using System.Text.Encodings.Web;

namespace RAOrchestrator.Server.Web;

/// <summary>Small server-rendered pages: one layout, every value HTML-encoded, nothing loaded from elsewhere.</summary>
public static class Html
{
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    /// <summary>A whole page with the host's stylesheet inlined under the page's CSP nonce-free policy (styles are 'self').</summary>
    public static string Page(string title, string body, string? script = null, bool wide = false)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(title)).Append(" · RAOrchestrator</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/assets/site.css\">");
        if (script is not null)
        {
            html.Append("<script src=\"").Append(E(script)).Append("\" defer></script>");
        }

        html.Append(wide ? "</head><body><main class=\"wide\">" : "</head><body><main>");
        html.Append(body);
        html.Append("</main></body></html>");
        return html.ToString();
    }

    public const string Stylesheet = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f5f5;color:#1b1b1b}
        main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
        h1{font-size:1.4rem;margin-top:0}
        h2{font-size:1.1rem;margin-top:1.5rem}
        .secret{font-size:1.4rem;letter-spacing:.08em;word-break:break-all}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
        dt{font-weight:600}
        ul{padding-left:1.2rem}
        .actions{display:flex;gap:1rem;margin-top:1.5rem;flex-wrap:wrap}
        button{font:inherit;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #0f6cbd;cursor:pointer}
        button.primary{background:#0f6cbd;color:#fff}
        button.secondary{background:#fff;color:#0f6cbd}
        button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
        .note{color:#555;font-size:.9rem}
        .outcome{font-size:1.1rem}
        .error{border-left:4px solid #c50f1f;padding-left:.8rem}
        main.wide{max-width:64rem}
        @media (max-width:40rem){main,main.wide{margin:0;padding:1rem;border-radius:0}}
        .lobby{border-top:1px solid #ddd;padding-top:1rem;margin-top:1rem}
        .people{list-style:none;padding:0}
        .people li{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.5rem 0;border-bottom:1px solid #eee}
        .people form{display:flex;gap:.5rem;margin:0;align-items:center}
        .people form .error{margin:0;flex:1 1 16rem}
        label{display:block;font-weight:600;margin:.5rem 0 .25rem}
        input[type=text]{font:inherit;padding:.5rem;width:100%;max-width:24rem;box-sizing:border-box}
        input:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
        """;
}
