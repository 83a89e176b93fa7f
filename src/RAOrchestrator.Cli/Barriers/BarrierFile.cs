using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Contracts.V1;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RAOrchestrator.Cli.Barriers;

/// <summary>
/// A tenant's information barriers as a YAML file: the segments and policies to create or bring up to date.
/// <code>
/// segments:
///   - id: field-technicians
///     filter: "Department -eq 'Field-Technicians'"
/// policies:
///   - id: technicians-allow
///     assigned_segment: field-technicians
///     kind: allow            # or block
///     segments: [field-technicians, vendor-experts]
///     state: active          # or inactive
/// </code>
/// </summary>
public sealed class BarrierFile
{
    public List<SegmentSpec> Segments { get; set; } = [];
    public List<PolicySpec> Policies { get; set; } = [];

    public static BarrierFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"The barrier file {path} does not exist.");
        }

        try
        {
            var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<BarrierFile?>(File.ReadAllText(path)) ?? new BarrierFile();
            var problems = file.Policies.Select((p, i) => p.Problem(i)).Where(p => p is not null).Cast<string>().ToArray();
            return problems.Length == 0 ? file : throw CliException.Usage($"The barrier file {path} has problems:", "Correct them and run the command again; nothing was sent.", problems);
        }
        catch (YamlException ex)
        {
            throw CliException.Usage($"The barrier file {path} is not valid: line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}",
                "The file has segments (id, filter) and policies (id, assigned_segment, kind, segments, state).");
        }
    }

    public sealed class SegmentSpec
    {
        public string Id { get; set; } = string.Empty;
        public string Filter { get; set; } = string.Empty;
    }

    public sealed class PolicySpec
    {
        public string Id { get; set; } = string.Empty;
        public string AssignedSegment { get; set; } = string.Empty;
        public string Kind { get; set; } = string.Empty;
        public List<string> Segments { get; set; } = [];
        public string State { get; set; } = "active";

        public BarrierPolicy ToPolicy() => new()
        {
            AssignedSegment = AssignedSegment,
            Kind = Kind.ToLowerInvariant() switch
            {
                "allow" => BarrierPolicy.Types.Kind.Allow,
                "block" => BarrierPolicy.Types.Kind.Block,
                _ => BarrierPolicy.Types.Kind.Unspecified,
            },
            Segments = { Segments },
            State = State.ToLowerInvariant() == "inactive" ? BarrierPolicy.Types.State.Inactive : BarrierPolicy.Types.State.Active,
        };

        internal string? Problem(int index) =>
            Kind.ToLowerInvariant() is not ("allow" or "block") ? $"policies[{index}] ({Id}): kind is '{Kind}'; use allow or block"
            : State.ToLowerInvariant() is not ("active" or "inactive") ? $"policies[{index}] ({Id}): state is '{State}'; use active or inactive"
            : null;
    }
}
