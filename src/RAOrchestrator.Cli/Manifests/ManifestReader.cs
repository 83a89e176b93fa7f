using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Contracts.V1;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RAOrchestrator.Cli.Manifests;

/// <summary>
/// Reads a manifest of tenants to onboard: <c>.csv</c> (a header row naming the fields) or <c>.yaml</c>/<c>.yml</c>
/// (<c>tenants:</c> a list of mappings with the same fields, optional <c>defaults:</c> and <c>max_parallelism:</c>).
/// Every problem is reported with its line, all at once. The service checks the values (ids, names, limits).
/// </summary>
public static class ManifestReader
{
    public static Manifest Read(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"The manifest {path} does not exist.");
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        using var reader = new StreamReader(path);
        var manifest = extension switch
        {
            ".csv" => ReadCsv(path, reader),
            ".yaml" or ".yml" => ReadYaml(path, reader),
            _ => throw CliException.Usage($"The manifest {path} is neither .csv nor .yaml/.yml."),
        };
        if (manifest.Entries.Count == 0)
        {
            throw CliException.Usage($"The manifest {path} lists no tenants.");
        }

        return manifest;
    }

    public static Manifest ReadCsv(string path, TextReader reader)
    {
        var problems = new List<string>();
        var entries = new List<ManifestEntry>();
        IReadOnlyList<string>? header = null;
        try
        {
            foreach (var (line, fields) in CsvRecords.Read(reader))
            {
                if (header is null)
                {
                    header = fields;
                    foreach (var missing in new[] { ManifestFields.TenantId, ManifestFields.DisplayName }.Where(f => !header.Contains(f, StringComparer.OrdinalIgnoreCase)))
                    {
                        problems.Add($"line {line}: the header has no {missing} column (the first row names the columns)");
                    }

                    foreach (var unknown in header.Where(h => !ManifestFields.All.Contains(h, StringComparer.OrdinalIgnoreCase)))
                    {
                        problems.Add($"line {line}: unknown column '{unknown}'; the columns are {string.Join(", ", ManifestFields.All)}");
                    }

                    continue;
                }

                if (fields.Count != header.Count)
                {
                    problems.Add($"line {line}: {fields.Count} fields where the header has {header.Count}");
                    continue;
                }

                var item = new BulkTenant { Tenant = new Tenant() };
                for (var i = 0; i < fields.Count; i++)
                {
                    if (ManifestFields.Apply(item, header[i], [fields[i]]) is { } problem)
                    {
                        problems.Add($"line {line}: {problem}");
                    }
                }

                entries.Add(new ManifestEntry(line, item));
            }
        }
        catch (FormatException ex)
        {
            problems.Add(ex.Message);
        }

        return Finish(path, entries, null, problems);
    }

    public static Manifest ReadYaml(string path, TextReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw CliException.Usage($"The manifest {path} is not valid YAML: line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw CliException.Usage($"The manifest {path} must be one YAML mapping with a 'tenants:' list.");
        }

        var problems = new List<string>();
        var entries = new List<ManifestEntry>();
        int? maxParallelism = null;
        YamlMappingNode? defaults = null;
        YamlSequenceNode? tenants = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "max_parallelism" when value is YamlScalarNode { Value: var text } && int.TryParse(text, out var parallelism):
                    maxParallelism = parallelism;
                    break;
                case "defaults" when value is YamlMappingNode mapping:
                    defaults = mapping;
                    break;
                case "tenants" when value is YamlSequenceNode sequence:
                    tenants = sequence;
                    break;
                default:
                    problems.Add($"line {keyNode.Start.Line}: '{key}' is not expected here; the top level has tenants (a list), defaults (a mapping) and max_parallelism (a number)");
                    break;
            }
        }

        if (tenants is null)
        {
            problems.Add("the manifest has no 'tenants:' list");
        }

        foreach (var node in tenants?.Children ?? [])
        {
            if (node is not YamlMappingNode mapping)
            {
                problems.Add($"line {node.Start.Line}: each tenant is a mapping (tenant_id: ..., display_name: ...)");
                continue;
            }

            var item = new BulkTenant { Tenant = new Tenant() };
            IEnumerable<KeyValuePair<YamlNode, YamlNode>> inherited = defaults is null ? [] : defaults.Children.Where(d => !mapping.Children.ContainsKey(d.Key));
            var fields = inherited.Concat(mapping.Children);
            foreach (var (keyNode, value) in fields)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
                IReadOnlyList<string> values = value switch
                {
                    YamlScalarNode scalar => [scalar.Value ?? string.Empty],
                    YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToArray(),
                    _ => [],
                };
                if (value is YamlMappingNode)
                {
                    problems.Add($"line {keyNode.Start.Line}: {key} takes a value, not a mapping");
                }
                else if (ManifestFields.Apply(item, key, values) is { } problem)
                {
                    problems.Add($"line {keyNode.Start.Line}: {problem}");
                }
            }

            entries.Add(new ManifestEntry((int)mapping.Start.Line, item));
        }

        return Finish(path, entries, maxParallelism, problems);
    }

    private static Manifest Finish(string path, List<ManifestEntry> entries, int? maxParallelism, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw CliException.Usage($"The manifest {path} has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}:",
                "Correct these lines and run the command again; nothing was sent.", problems);
        }

        return new Manifest(path, entries, maxParallelism);
    }
}
