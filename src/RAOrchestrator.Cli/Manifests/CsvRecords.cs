using Sylvan.Data.Csv;

namespace RAOrchestrator.Cli.Manifests;

/// <summary>
/// Records of an RFC 4180 CSV text, read by Sylvan.Data.Csv: fields separated by ',' or ';' (whichever the header line
/// uses), fields in double quotes may hold either separator, quotes ("") and line breaks and keep their spaces; unquoted
/// fields are trimmed. Blank lines and lines starting with '#' are skipped. Each record comes with the line it starts on.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(TextReader reader)
    {
        var line = 1;
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false,
            OwnsReader = false,
            CommentHandler = (Action<string>)(_ => line++),
        };
        using var csv = CsvDataReader.Create(reader, options);
        while (true)
        {
            try
            {
                if (!csv.Read())
                {
                    yield break;
                }
            }
            catch (CsvFormatException)
            {
                throw new FormatException($"line {line}: a quoted field is not closed");
            }

            var start = line;
            var raw = csv.GetRawRecordSpan();
            line += raw.TrimEnd("\r\n").Count('\n') + 1;
            var fields = new string[csv.RowFieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Field(csv, raw, i);
            }

            if (fields is [var only] && (only.Length == 0 || only.StartsWith('#')))
            {
                continue;
            }

            yield return (start, fields);
        }
    }

    /// <summary>A quoted field as it is; an unquoted one trimmed.</summary>
    private static string Field(CsvDataReader csv, ReadOnlySpan<char> raw, int index)
    {
        var span = csv.GetFieldSpan(index);
        // Sylvan hands out an unquoted field (and a quoted one without "" escapes) as a slice of the raw record; a field
        // that is not a slice was unescaped, so it was quoted.
        var quoted = !raw.Overlaps(span, out var offset) || (offset > 0 && raw[offset - 1] == '"');
        return quoted ? span.ToString() : span.Trim().ToString();
    }
}
