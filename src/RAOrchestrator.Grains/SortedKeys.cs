using RAOrchestrator.Abstractions.Indexes;

namespace RAOrchestrator.Grains;

/// <summary>A list of keys kept in ordinal order: insert, remove and page after a key, for the index grains.</summary>
public static class SortedKeys
{
    /// <summary>Adds the key; false when it was there already.</summary>
    public static bool Add(List<string> keys, string key)
    {
        var index = keys.BinarySearch(key, StringComparer.Ordinal);
        if (index >= 0)
        {
            return false;
        }

        keys.Insert(~index, key);
        return true;
    }

    /// <summary>Removes the key; false when it was not there.</summary>
    public static bool Remove(List<string> keys, string key)
    {
        var index = keys.BinarySearch(key, StringComparer.Ordinal);
        if (index < 0)
        {
            return false;
        }

        keys.RemoveAt(index);
        return true;
    }

    public static KeyPage Page(List<string> keys, string? after, int size)
    {
        var start = 0;
        if (after is not null)
        {
            var index = keys.BinarySearch(after, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }

        var page = keys.Skip(start).Take(size).ToArray();
        return new KeyPage(page, start + page.Length < keys.Count);
    }
}
