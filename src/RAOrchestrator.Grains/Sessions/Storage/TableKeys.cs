using System.Text;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>Table storage keys from grain keys.</summary>
public static class TableKeys
{
    /// <summary>
    /// A partition or row key for <paramref name="key"/>: the characters table keys may not hold (<c>/ \ # ?</c> and
    /// control characters) and <c>%</c> itself become <c>%XX</c>, so distinct grain keys stay distinct.
    /// </summary>
    public static string Escape(string key)
    {
        if (!key.AsSpan().ContainsAny(Illegal) && !key.Any(char.IsControl))
        {
            return key;
        }

        var escaped = new StringBuilder(key.Length + 16);
        foreach (var c in key)
        {
            if (Illegal.Contains(c) || char.IsControl(c))
            {
                escaped.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Illegal = System.Buffers.SearchValues.Create("/\\#?%");
}
