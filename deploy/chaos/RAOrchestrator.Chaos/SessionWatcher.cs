using Grpc.Core;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Chaos;

/// <summary>
/// One WatchSession stream held open for the whole run. When it breaks (its process was killed, the grain's silo
/// died, storage went away) it reconnects through the balanced channel, which picks a live process, asking for the
/// events after the last sequence it saw. It keeps what it received, counting any gap or repeat as it arrives.
/// Per event the work is a comparison and an append; a stream's wait costs nothing while nothing happens.
/// </summary>
public sealed class SessionWatcher(string name)
{
    private long _last;

    public List<SessionEvent> Events { get; } = [];

    public long Last => Interlocked.Read(ref _last);

    public int Gaps { get; private set; }

    public int Duplicates { get; private set; }

    public int Reconnects { get; private set; }

    /// <summary>The longest time from an event's commit (its timestamp) to its arrival here: an outage of the stream shows in it.</summary>
    public TimeSpan LongestDelay { get; private set; }

    /// <summary>Events that arrived more than a second after they happened.</summary>
    public int Late { get; private set; }

    public async Task RunAsync(SessionService.SessionServiceClient client, CancellationToken stop)
    {
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        var backoff = 200;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = client.WatchSession(new WatchSessionRequest { Name = name, AfterSequence = _last }, cancellationToken: stop);
                await foreach (var response in call.ResponseStream.ReadAllAsync(stop))
                {
                    Receive(response.Event);
                    backoff = 200;
                }

                // The session never closes during the run, so a stream that ends is one to open again.
            }
            catch (RpcException) when (!stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !stop.IsCancellationRequested)
            {
            }

            Reconnects++;
            // Jittered, so the watchers of a killed process do not all come back in the same instant.
            try
            {
                await Task.Delay(random.Next(backoff / 2, backoff), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = Math.Min(backoff * 2, 3000);
        }
    }

    private void Receive(SessionEvent e)
    {
        if (e.Sequence <= _last)
        {
            Duplicates++;
            return;
        }

        if (e.Sequence != _last + 1)
        {
            Gaps++;
        }

        var delay = DateTimeOffset.UtcNow - e.Time.ToDateTimeOffset();
        LongestDelay = delay > LongestDelay ? delay : LongestDelay;
        Late += delay > TimeSpan.FromSeconds(1) ? 1 : 0;
        Events.Add(e);
        Interlocked.Exchange(ref _last, e.Sequence);
    }
}
