namespace RAOrchestrator.Server.Web.Gate;

/// <summary>
/// The waiting view's only script, served by the host as /assets/gate.js (the page's policy allows no other): it
/// counts the waited time, listens to the attempt's events, shows the sentence of the state it is told, and on
/// admission goes to the server's one-time redirect.
/// </summary>
public static class GateScript
{
    public const string Source = """
        (function () {
          var gate = document.getElementById('gate');
          if (!gate) { return; }
          var elapsed = document.getElementById('elapsed');
          var requested = Date.parse(gate.dataset.requested);
          function tick() {
            if (!elapsed || isNaN(requested)) { return; }
            var s = Math.max(0, Math.floor((Date.now() - requested) / 1000));
            elapsed.textContent = Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
          }
          function show(state) {
            gate.dataset.state = state;
            document.querySelectorAll('#gate [data-state]').forEach(function (s) { s.hidden = s.dataset.state !== state; });
          }
          if (gate.dataset.state === 'admitted') { location.replace(gate.dataset.enter); return; }
          if (gate.dataset.state !== 'waiting') { return; }
          var timer = setInterval(tick, 1000);
          tick();
          var events = new EventSource(gate.dataset.events);
          events.onmessage = function (e) {
            show(e.data);
            if (e.data === 'waiting') { return; }
            events.close();
            clearInterval(timer);
            if (e.data === 'admitted') { location.replace(gate.dataset.enter); }
          };
        })();
        """;
}
