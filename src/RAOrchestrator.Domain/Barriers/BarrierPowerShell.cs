using System.Collections.Immutable;
using System.Text;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// Exports a configuration as the Security &amp; Compliance PowerShell that recreates it, and reads such a script back
/// (only the subset this class emits). Every string is a PowerShell single-quoted literal, in which nothing expands
/// (<c>$</c>, backticks and newlines are literal) and the only escape is a doubled quote; PowerShell treats the
/// typographic quotes U+2018, U+2019, U+201A and U+201B as single quotes too, so those are doubled as well.
/// </summary>
public static class BarrierPowerShell
{
    private const string SettingsMarker = "# RAOrchestrator-Settings:";

    public static string Export(BarrierConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sb = new StringBuilder();
        sb.Append("# Information-barrier configuration exported by RAOrchestrator.\n");
        sb.Append("# Run in Security & Compliance PowerShell (Connect-IPPSSession).\n");
        sb.Append(SettingsMarker).Append(" Mode=").Append(configuration.Settings.Mode).Append("; Generation=").Append(configuration.Settings.Generation).Append('\n');
        if (configuration.Settings.Mode == BarrierMode.MultiSegment)
        {
            sb.Append("# Multi-segment mode: run Enable-ExoInformationBarrierMultiSegment in Exchange Online PowerShell first.\n");
        }

        foreach (var s in configuration.Segments)
        {
            sb.Append("New-OrganizationSegment -Name ").Append(Quote(s.Name)).Append(" -UserGroupFilter ").Append(Quote(s.UserGroupFilter)).Append('\n');
        }

        foreach (var p in configuration.Policies)
        {
            sb.Append("New-InformationBarrierPolicy -Name ").Append(Quote(p.Name))
              .Append(" -AssignedSegment ").Append(Quote(p.AssignedSegment))
              .Append(p.Kind == PolicyKind.Block ? " -SegmentsBlocked " : " -SegmentsAllowed ")
              .Append(string.Join(',', p.Segments.Select(Quote)))
              .Append(" -State Inactive\n");
        }

        foreach (var p in configuration.Policies.Where(p => p.State == PolicyState.Active))
        {
            sb.Append("Set-InformationBarrierPolicy -Identity ").Append(Quote(p.Name)).Append(" -State Active\n");
        }

        sb.Append("Start-InformationBarrierPoliciesApplication\n");
        return sb.ToString();
    }

    /// <summary>A PowerShell single-quoted literal that survives any content.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (IsSingleQuote(c))
            {
                sb.Append(c);
            }

            sb.Append(c);
        }

        return sb.Append('\'').ToString();
    }

    /// <summary>Reads an exported script back into a configuration, applying every configuration rule.</summary>
    public static BarrierResult<BarrierConfiguration> Parse(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var settings = BarrierSettings.Default;
        var segments = new List<SegmentDefinition>();
        var policies = new List<PolicyDefinition>();
        var activations = new List<(string Name, PolicyState State, int Line)>();
        try
        {
            var lexer = new Lexer(script);
            while (lexer.NextStatement(out var command, out var args, out var line, out var comment))
            {
                if (comment is not null)
                {
                    if (comment.StartsWith(SettingsMarker, StringComparison.Ordinal))
                    {
                        settings = ParseSettings(comment[SettingsMarker.Length..], line);
                    }

                    continue;
                }

                switch (command.ToLowerInvariant())
                {
                    case "new-organizationsegment":
                        segments.Add(new SegmentDefinition(args.Single("Name", line), args.Single("UserGroupFilter", line)));
                        args.NoOthers(line);
                        break;
                    case "new-informationbarrierpolicy":
                        var name = args.Single("Name", line);
                        var assigned = args.Single("AssignedSegment", line);
                        var blocked = args.ListOrNull("SegmentsBlocked");
                        var allowed = args.ListOrNull("SegmentsAllowed");
                        if ((blocked is null) == (allowed is null))
                        {
                            throw new ScriptError(line, "exactly one of -SegmentsBlocked or -SegmentsAllowed");
                        }

                        var state = ParseState(args.Single("State", line), line);
                        args.NoOthers(line);
                        policies.Add(new PolicyDefinition(name, assigned, blocked is null ? PolicyKind.Allow : PolicyKind.Block, blocked ?? allowed!.Value, state));
                        break;
                    case "set-informationbarrierpolicy":
                        activations.Add((args.Single("Identity", line), ParseState(args.Single("State", line), line), line));
                        args.NoOthers(line);
                        break;
                    case "start-informationbarrierpoliciesapplication":
                        args.NoOthers(line);
                        break;
                    default:
                        throw new ScriptError(line, $"a command this exporter writes, not '{command}'");
                }
            }

            foreach (var (name, state, line) in activations)
            {
                var i = policies.FindIndex(p => BarrierConfiguration.NameEquals(p.Name, name));
                if (i < 0)
                {
                    throw new ScriptError(line, $"a policy created earlier in the script, not '{name}'");
                }

                policies[i] = policies[i] with { State = state };
            }
        }
        catch (ScriptError e)
        {
            return BarrierResult<BarrierConfiguration>.Failure([BarrierRules.Error(BarrierRule.ScriptInvalid, $"line {e.Line}", e.Message)]);
        }

        return BarrierConfiguration.Create(settings, segments, policies);
    }

    private static BarrierSettings ParseSettings(string text, int line)
    {
        var mode = BarrierMode.SingleSegment;
        var generation = BarrierGeneration.Modern;
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            var ok = kv.Length == 2 && kv[0] switch
            {
                "Mode" => Enum.TryParse(kv[1], out mode) && Enum.IsDefined(mode),
                "Generation" => Enum.TryParse(kv[1], out generation) && Enum.IsDefined(generation),
                _ => false,
            };
            if (!ok)
            {
                throw new ScriptError(line, $"Mode=... or Generation=... in the settings comment, not '{part}'");
            }
        }

        return new BarrierSettings(mode, generation);
    }

    private static PolicyState ParseState(string value, int line) =>
        value.Equals("Active", StringComparison.OrdinalIgnoreCase) ? PolicyState.Active
        : value.Equals("Inactive", StringComparison.OrdinalIgnoreCase) ? PolicyState.Inactive
        : throw new ScriptError(line, $"-State Active or Inactive, not '{value}'");

    private static bool IsSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    private sealed class ScriptError(int line, string expected) : Exception($"Line {line}: expected {expected}.")
    {
        public int Line { get; } = line;
    }

    /// <summary>Named arguments of one statement: each parameter holds one or more (comma-separated) values.</summary>
    private sealed class Arguments
    {
        private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

        public void Add(string parameter, List<string> values, int line)
        {
            if (!_values.TryAdd(parameter, values))
            {
                throw new ScriptError(line, $"-{parameter} only once");
            }
        }

        public string Single(string parameter, int line)
        {
            _used.Add(parameter);
            return _values.TryGetValue(parameter, out var v) && v.Count == 1 ? v[0] : throw new ScriptError(line, $"one value for -{parameter}");
        }

        public ImmutableArray<string>? ListOrNull(string parameter)
        {
            _used.Add(parameter);
            return _values.TryGetValue(parameter, out var v) ? [.. v] : null;
        }

        public void NoOthers(int line)
        {
            var other = _values.Keys.FirstOrDefault(k => !_used.Contains(k));
            if (other is not null)
            {
                throw new ScriptError(line, $"no parameter -{other}");
            }
        }
    }

    private sealed class Lexer(string text)
    {
        private int _pos;
        private int _line = 1;

        /// <summary>Reads the next statement (a command with arguments) or a whole-line comment.</summary>
        public bool NextStatement(out string command, out Arguments args, out int line, out string? comment)
        {
            command = string.Empty;
            args = new Arguments();
            comment = null;
            SkipBlank(newlines: true);
            line = _line;
            if (_pos >= text.Length)
            {
                return false;
            }

            if (text[_pos] == '#')
            {
                var end = text.IndexOf('\n', _pos);
                end = end < 0 ? text.Length : end;
                comment = text[_pos..end].TrimEnd('\r');
                _pos = end;
                return true;
            }

            command = Word() ?? throw new ScriptError(_line, "a command name");
            while (true)
            {
                SkipBlank(newlines: false);
                if (_pos >= text.Length || text[_pos] is '\n' or ';' or '\r')
                {
                    return true;
                }

                if (text[_pos] != '-')
                {
                    throw new ScriptError(_line, $"a -Parameter, not '{text[_pos]}'");
                }

                _pos++;
                var parameter = Word() ?? throw new ScriptError(_line, "a parameter name after '-'");
                SkipBlank(newlines: false);
                var values = new List<string> { Value() };
                while (true)
                {
                    SkipBlank(newlines: false);
                    if (_pos < text.Length && text[_pos] == ',')
                    {
                        _pos++;
                        SkipBlank(newlines: false);
                        values.Add(Value());
                        continue;
                    }

                    break;
                }

                args.Add(parameter, values, line);
            }
        }

        private string Value()
        {
            if (_pos < text.Length && IsSingleQuote(text[_pos]))
            {
                _pos++;
                var sb = new StringBuilder();
                while (true)
                {
                    if (_pos >= text.Length)
                    {
                        throw new ScriptError(_line, "a closing single quote");
                    }

                    var c = text[_pos++];
                    if (IsSingleQuote(c))
                    {
                        if (_pos < text.Length && IsSingleQuote(text[_pos]))
                        {
                            sb.Append(text[_pos++]);
                            continue;
                        }

                        return sb.ToString();
                    }

                    if (c == '\n')
                    {
                        _line++;
                    }

                    sb.Append(c);
                }
            }

            return Word() ?? throw new ScriptError(_line, "a single-quoted string or a bare word");
        }

        private string? Word()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '-'))
            {
                _pos++;
            }

            return _pos > start ? text[start.._pos] : null;
        }

        private void SkipBlank(bool newlines)
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '\n' && newlines)
                {
                    _line++;
                }
                else if (!(c is ' ' or '\t' or '\r' || (newlines && c is '\n' or ';')))
                {
                    return;
                }

                _pos++;
            }
        }
    }
}
