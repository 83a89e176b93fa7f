namespace RAOrchestrator.Server.Web.Passes;

/// <summary>
/// The pass page's only script, served by the host as /assets/pass.js: it reads the link's secret from the part of the
/// address after '#' (which browsers never send to a server), puts it in the form that asks for a code, and drops it
/// from the address bar once the form is sent.
/// </summary>
public static class PassScript
{
    public const string Source = """
        (function () {
          var form = document.getElementById('ask-code');
          var field = document.getElementById('link');
          if (!form || !field) { return; }
          var secret = location.hash.replace(/^#/, '');
          if (!secret) { document.getElementById('no-link').hidden = false; return; }
          field.value = secret;
          form.hidden = false;
          form.addEventListener('submit', function () { history.replaceState(null, '', location.pathname); });
        })();
        """;
}
