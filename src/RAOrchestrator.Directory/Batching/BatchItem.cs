using System.Diagnostics;
using Microsoft.Graph;

namespace RAOrchestrator.Directory.Batching;

/// <summary>What a round left an item with: finished (answered its caller), or to go again after a wait.</summary>
internal readonly record struct RoundOutcome(bool Finished, bool Throttled, TimeSpan? RetryAfter, string? Scope = null)
{
    public static readonly RoundOutcome Done = new(true, false, null);

    /// <summary>Goes again in the next batch without waiting (e.g. a find after a conflict).</summary>
    public static readonly RoundOutcome Again = new(false, false, TimeSpan.Zero);
}

/// <summary>
/// One caller's call inside a tenant's $batch: the requests it needs this round (one, or a create and an assignment
/// that depends on it), and how it reads their answers. It keeps its own progress between rounds, so a retry re-sends
/// only what is not done.
/// </summary>
internal abstract class BatchItem
{
    /// <summary>The caller's span, linked from the batch's span.</summary>
    public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

    /// <summary>The group of calls the caller said belong together, and its size (see DirectoryBatchHint); null for none.</summary>
    public (string Group, int Expected)? Hint { get; protected init; }

    public DateTimeOffset EnqueuedAt { get; set; }

    /// <summary>Rounds sent so far.</summary>
    public int Rounds { get; set; }

    /// <summary>Requests this item puts into its next batch (at most 20).</summary>
    public abstract int Size { get; }

    /// <summary>Adds this round's requests with ids beginning with <paramref name="prefix"/>.</summary>
    public abstract Task AddAsync(BatchRequestContentCollection batch, GraphServiceClient graph, string prefix);

    /// <summary>Reads this round's answers; answers the caller when finished.</summary>
    public abstract Task<RoundOutcome> ReadAsync(BatchAnswers answers, string prefix);

    /// <summary>Answers the caller with a failure.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A <see cref="BatchItem"/> whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class BatchItem<T> : BatchItem
{
    private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Answer => _answer.Task;

    public override void Fail(Exception error) => _answer.TrySetException(error);

    protected RoundOutcome Complete(T value)
    {
        _answer.TrySetResult(value);
        return RoundOutcome.Done;
    }
}
