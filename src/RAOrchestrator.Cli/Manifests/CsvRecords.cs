using System.Text;

namespace RAOrchestrator.Cli.Manifests;

/// <summary>
/// Records of an RFC 4180 CSV text: comma-separated, fields in double quotes may hold commas, quotes ("") and line
/// breaks. Blank lines and lines starting with '#' are skipped. Each record comes with the line it starts on.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(TextReader reader)
    {
        var line = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            var start = line;
            if (text.Trim().Length == 0 || text.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var i = 0;
            while (true)
            {
                if (i == text.Length)
                {
                    if (!quoted)
                    {
                        break;
                    }

                    // A line break inside quotes belongs to the field.
                    text = reader.ReadLine() ?? throw new FormatException($"line {start}: a quoted field is not closed");
                    line++;
                    field.Append('\n');
                    i = 0;
                    continue;
                }

                var c = text[i++];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                    }
                    else if (i < text.Length && text[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (c == '"' && field.ToString().Trim().Length == 0)
                {
                    field.Clear();
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString().Trim());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString().Trim());
            yield return (start, fields);
        }
    }
}
