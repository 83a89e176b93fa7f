using System.Diagnostics;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>What one measured window gave: operations completed in it, their latencies, and failures.</summary>
public sealed record LoadResult(long Completed, double Seconds, double Throughput, double P50Ms, double P90Ms, double P99Ms, double MaxMs, long Errors, string? FirstError, double OfferedRate)
{
    public static LoadResult From(long completed, double seconds, List<long> latencyTicks, long errors, string? firstError, double offeredRate)
    {
        latencyTicks.Sort();
        double At(double q) => latencyTicks.Count == 0 ? double.NaN : Ms(latencyTicks[Math.Min(latencyTicks.Count - 1, (int)Math.Ceiling(q * latencyTicks.Count) - 1)]);
        return new LoadResult(completed, seconds, completed / seconds, At(0.50), At(0.90), At(0.99), latencyTicks.Count == 0 ? double.NaN : Ms(latencyTicks[^1]), errors, firstError, offeredRate);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// Drives an asynchronous operation in a closed loop (a fixed number of callers, each starting its next call when the
/// last one answered) or an open loop (calls started on a fixed schedule whether or not earlier ones answered).
/// Each run warms up first (not measured), then measures a window: the throughput is the calls completed inside the
/// window divided by its length; latencies are those of every call that started inside it (waited for to the end). In
/// the open loop a latency is measured from the call's scheduled start, so a generator or server that falls behind
/// shows it (no coordinated omission); the schedule sleeps in 1 ms steps and starts whatever is due, so up to about a
/// millisecond of each latency can be the generator's own granularity rather than the server's.
/// </summary>
public static class LoadGenerator
{
    /// <param name="operation">One call; its argument is the caller's index (0 .. concurrency-1).</param>
    public static async Task<LoadResult> ClosedLoopAsync(Func<int, Task> operation, int concurrency, TimeSpan warmup, TimeSpan window)
    {
        var state = new RunState();
        var latencies = new List<long>[concurrency];
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            latencies[w] = new List<long>(4096);
            workers[w] = Task.Run(async () =>
            {
                var mine = latencies[worker];
                while (!state.Stop)
                {
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        await operation(worker);
                    }
                    catch (Exception ex)
                    {
                        state.Fail(ex);
                        continue;
                    }

                    var end = Stopwatch.GetTimestamp();
                    if (start >= state.WindowStart && start < state.WindowEnd)
                    {
                        mine.Add(end - start);
                    }

                    if (end >= state.WindowStart && end <= state.WindowEnd)
                    {
                        Interlocked.Increment(ref state.Completed);
                    }
                }
            });
        }

        var seconds = await state.MeasureAsync(warmup, window);
        await Task.WhenAll(workers);
        return LoadResult.From(state.Completed, seconds, [.. latencies.SelectMany(l => l)], state.Errors, state.FirstError, double.NaN);
    }

    /// <param name="operation">One call; its argument is the call's sequence number.</param>
    /// <param name="rate">Calls started per second.</param>
    /// <param name="maxInFlight">
    /// At most this many calls are outstanding: a call due while the limit is reached starts when one returns, and its
    /// latency still counts from its scheduled start. Without a bound, a short stall (this machine is shared) let the
    /// backlog grow past the HTTP/2 stream limit, where queued requests wait on the connection and never catch up.
    /// </param>
    /// <param name="maxLag">The generator gives up (and reports it) when it falls this far behind its schedule.</param>
    public static async Task<LoadResult> OpenLoopAsync(Func<long, Task> operation, double rate, TimeSpan warmup, TimeSpan window, int maxInFlight = 512, TimeSpan? maxLag = null)
    {
        var lagLimit = (long)((maxLag ?? TimeSpan.FromSeconds(5)).TotalSeconds * Stopwatch.Frequency);
        using var slots = new SemaphoreSlim(maxInFlight);
        var state = new RunState();
        var expected = (int)(rate * window.TotalSeconds * 1.2) + 1024;
        var latencies = new long[expected];
        var recorded = 0;
        var outstanding = new List<Task>();
        var period = Stopwatch.Frequency / rate;
        var origin = Stopwatch.GetTimestamp();
        var total = (long)(rate * (warmup + window).TotalSeconds);

        async Task One(long sequence, long scheduled)
        {
            try
            {
                await operation(sequence);
            }
            catch (Exception ex)
            {
                state.Fail(ex);
                return;
            }
            finally
            {
                slots.Release();
            }

            var end = Stopwatch.GetTimestamp();
            if (scheduled >= state.WindowStart && scheduled < state.WindowEnd)
            {
                var slot = Interlocked.Increment(ref recorded) - 1;
                if (slot < latencies.Length)
                {
                    latencies[slot] = end - scheduled;
                }

                SlowCalls.Note(scheduled, end);
            }

            if (end >= state.WindowStart && end <= state.WindowEnd)
            {
                Interlocked.Increment(ref state.Completed);
            }
        }

        // The schedule runs on its own thread: it sleeps until the next start is due (1 ms steps, no spinning, so the
        // generator's core is not kept busy) and starts every call that is due, so a late wake-up starts a burst
        // rather than dropping calls.
        var measuring = state.MeasureAsync(warmup, window, origin);
        var dispatcher = new Thread(() =>
        {
            for (long i = 0; i < total && !state.Stop; i++)
            {
                var scheduled = origin + (long)(i * period);
                while (Stopwatch.GetTimestamp() < scheduled)
                {
                    Thread.Sleep(1);
                }

                slots.Wait();
                if (Stopwatch.GetTimestamp() - scheduled > lagLimit)
                {
                    slots.Release();
                    state.Fail(new InvalidOperationException($"more than {lagLimit / Stopwatch.Frequency} s behind the schedule at {rate:0}/s: the server cannot keep up"));
                    state.Stop = true;
                    break;
                }

                var task = One(i, scheduled);
                if (!task.IsCompleted)
                {
                    lock (outstanding)
                    {
                        outstanding.Add(task);
                    }
                }
            }
        })
        { IsBackground = true, Name = "open-loop schedule" };
        dispatcher.Start();
        var seconds = await measuring;
        dispatcher.Join();
        Task[] pending;
        lock (outstanding)
        {
            pending = [.. outstanding];
        }

        await Task.WhenAll(pending);
        SlowCalls.Flush();
        var count = Math.Min(recorded, latencies.Length);
        return LoadResult.From(state.Completed, seconds, [.. latencies.AsSpan(0, count)], state.Errors, state.FirstError, rate);
    }

    private sealed class RunState
    {
        public long Completed;
        public long Errors;
        public volatile bool Stop;
        private long _windowStart = long.MaxValue;
        private long _windowEnd = long.MaxValue;

        public long WindowStart => Volatile.Read(ref _windowStart);
        public long WindowEnd => Volatile.Read(ref _windowEnd);
        public string? FirstError { get; private set; }

        public void Fail(Exception ex)
        {
            if (Interlocked.Increment(ref Errors) == 1)
            {
                FirstError = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        /// <summary>Waits out the warm-up, opens the window, closes it, stops the callers; answers the window's length in seconds.</summary>
        public async Task<double> MeasureAsync(TimeSpan warmup, TimeSpan window, long? origin = null)
        {
            var start = (origin ?? Stopwatch.GetTimestamp()) + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var end = start + (long)(window.TotalSeconds * Stopwatch.Frequency);
            Volatile.Write(ref _windowEnd, end);
            Volatile.Write(ref _windowStart, start);
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
            while (Stopwatch.GetTimestamp() < end)
            {
                await Task.Delay(1);
            }

            Stop = true;
            return (end - start) / (double)Stopwatch.Frequency;
        }
    }
}
