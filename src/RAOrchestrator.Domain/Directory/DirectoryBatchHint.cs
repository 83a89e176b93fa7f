namespace RAOrchestrator.Domain.Directory;

/// <summary>
/// A caller that starts several provisionings of one tenant at once (a bulk onboarding's plan) says so in the Orleans
/// request context, which flows through the account grains into the gateway: "these N calls belong together". The
/// gateway then holds the tenant's batch until all N arrived (or a bound passed), so storage latency in the grains
/// in between never splits them over several round trips. Without a hint the gateway batches by arrival time.
/// </summary>
public static class DirectoryBatchHint
{
    private const string Key = "raorch.directory-batch";

    /// <summary>Marks the calls made from here on (until cleared) as one group of <paramref name="expected"/>.</summary>
    public static void Set(string group, int expected) => RequestContext.Set(Key, $"{expected}|{group}");

    public static void Clear() => RequestContext.Remove(Key);

    /// <summary>The current call's group and how many calls it has, if a caller gave one.</summary>
    public static (string Group, int Expected)? Current() =>
        RequestContext.Get(Key) is string value && value.IndexOf('|', StringComparison.Ordinal) is var bar and > 0
            && int.TryParse(value.AsSpan(0, bar), out var expected) && expected > 0
            ? (value[(bar + 1)..], expected)
            : null;
}
