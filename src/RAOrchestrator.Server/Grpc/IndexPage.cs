using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Domain.Paging;

namespace RAOrchestrator.Server.Grpc;

/// <summary>Turns a page of keys from a partner's index into the resources behind them and the next page token.</summary>
internal static class IndexPage
{
    /// <summary>Fetches every key's resource in parallel; keys whose resource is gone (or not the caller's) are skipped.</summary>
    public static async Task<(IEnumerable<T> Items, string NextPageToken)> ResolveAsync<T>(KeyPage keys, Func<string, Task<T?>> fetch)
        where T : class
    {
        var items = await Task.WhenAll(keys.Keys.Select(fetch));
        var next = keys.HasMore && keys.Keys.Count > 0 ? PageRequest.Encode(keys.Keys[^1]) : string.Empty;
        return (items.OfType<T>(), next);
    }
}
