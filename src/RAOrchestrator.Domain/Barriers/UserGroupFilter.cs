using System.Collections.Immutable;
using System.Text;

namespace RAOrchestrator.Domain.Barriers;

public enum FilterOperator : byte
{
    Eq = 1,
    Ne = 2,
}

/// <summary>A parsed <c>-UserGroupFilter</c>: comparisons joined by n-ary <c>-and</c> / <c>-or</c> nodes.</summary>
public abstract record FilterNode
{
    private protected FilterNode()
    {
    }

    /// <summary>Canonical filter text: canonical attribute names, lower-case operators, single-quoted values.</summary>
    public string ToCanonicalString()
    {
        var sb = new StringBuilder();
        Print(sb, this, nested: false);
        return sb.ToString();
    }

    public sealed override string ToString() => ToCanonicalString();

    private static void Print(StringBuilder sb, FilterNode node, bool nested)
    {
        switch (node)
        {
            case FilterComparison c:
                sb.Append(BarrierAttributes.CanonicalName(c.Attribute))
                  .Append(c.Operator == FilterOperator.Eq ? " -eq " : " -ne ")
                  .Append('\'').Append(c.Value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                break;
            case FilterGroup g:
                if (nested)
                {
                    sb.Append('(');
                }

                for (var i = 0; i < g.Operands.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(g.IsAnd ? " -and " : " -or ");
                    }

                    Print(sb, g.Operands[i], nested: true);
                }

                if (nested)
                {
                    sb.Append(')');
                }

                break;
        }
    }
}

/// <summary><c>Attribute -eq|-ne 'value'</c>. Values compare case-insensitively when evaluated; the tree keeps them verbatim.</summary>
public sealed record FilterComparison(BarrierAttribute Attribute, FilterOperator Operator, string Value) : FilterNode;

/// <summary>Two or more operands joined by <c>-and</c> (<see cref="IsAnd"/>) or <c>-or</c>.</summary>
public sealed record FilterGroup(bool IsAnd, ImmutableArray<FilterNode> Operands) : FilterNode
{
    public bool Equals(FilterGroup? other) =>
        other is not null && IsAnd == other.IsAnd && Operands.AsSpan().SequenceEqual(other.Operands.AsSpan());

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(IsAnd);
        foreach (var o in Operands)
        {
            h.Add(o);
        }

        return h.ToHashCode();
    }
}

/// <summary>A filter that could not be parsed: the 1-based column and what the parser expected there.</summary>
public sealed class FilterParseException(int column, string expected, string message) : FormatException(message)
{
    /// <summary>1-based column in the filter text.</summary>
    public int Column { get; } = column;

    /// <summary>What was expected at <see cref="Column"/>, e.g. "comparison operator -eq or -ne".</summary>
    public string Expected { get; } = expected;
}

/// <summary>
/// Parser for the filter syntax <c>New-OrganizationSegment -UserGroupFilter</c> takes:
/// <c>Attribute -eq|-ne 'value'</c> joined with <c>-and</c>/<c>-or</c> and parentheses; <c>-and</c> binds tighter than <c>-or</c>;
/// values in single or double quotes with a doubled quote as escape; names and operators are case-insensitive.
/// Recursion happens only at parentheses, bounded by <see cref="MaxDepth"/>, so hostile input cannot overflow the stack.
/// </summary>
public static class UserGroupFilter
{
    /// <summary>Our bound on filter length (Microsoft publishes none; long filters are a smell, see its "try not to define complex segment definitions" tip).</summary>
    public const int MaxLength = 4096;

    /// <summary>Maximum parenthesis nesting.</summary>
    public const int MaxDepth = 32;

    /// <summary>Parses a filter or throws <see cref="FilterParseException"/>.</summary>
    public static FilterNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new FilterParseException(MaxLength + 1, $"at most {MaxLength} characters", $"The filter is {text.Length} characters long; at most {MaxLength} are allowed.");
        }

        var p = new Parser(text);
        var node = p.ParseOr(depth: 0);
        p.SkipSpace();
        if (!p.AtEnd)
        {
            p.Fail("-and, -or or end of filter");
        }

        return node;
    }

    /// <summary>Parses a filter; on failure returns false and the error.</summary>
    public static bool TryParse(string text, out FilterNode? filter, out FilterParseException? error)
    {
        try
        {
            filter = Parse(text);
            error = null;
            return true;
        }
        catch (FilterParseException e)
        {
            filter = null;
            error = e;
            return false;
        }
    }

    /// <summary>Parses and prints back in canonical form.</summary>
    public static string Normalize(string text) => Parse(text).ToCanonicalString();

    private ref struct Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public readonly bool AtEnd => _pos >= _text.Length;

        public void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }

        public FilterNode ParseOr(int depth)
        {
            var first = ParseAnd(depth);
            ImmutableArray<FilterNode>.Builder? list = null;
            while (TryKeyword("-or"))
            {
                list ??= ImmutableArray.CreateBuilder<FilterNode>();
                if (list.Count == 0)
                {
                    list.Add(first);
                }

                list.Add(ParseAnd(depth));
            }

            return list is null ? first : new FilterGroup(false, list.ToImmutable());
        }

        private FilterNode ParseAnd(int depth)
        {
            var first = ParsePrimary(depth);
            ImmutableArray<FilterNode>.Builder? list = null;
            while (TryKeyword("-and"))
            {
                list ??= ImmutableArray.CreateBuilder<FilterNode>();
                if (list.Count == 0)
                {
                    list.Add(first);
                }

                list.Add(ParsePrimary(depth));
            }

            return list is null ? first : new FilterGroup(true, list.ToImmutable());
        }

        private FilterNode ParsePrimary(int depth)
        {
            SkipSpace();
            if (AtEnd)
            {
                Fail("attribute name or '('");
            }

            if (_text[_pos] == '(')
            {
                if (depth >= MaxDepth)
                {
                    throw new FilterParseException(_pos + 1, $"at most {MaxDepth} nested parentheses", $"Column {_pos + 1}: parentheses are nested more than {MaxDepth} deep.");
                }

                _pos++;
                var inner = ParseOr(depth + 1);
                SkipSpace();
                if (AtEnd || _text[_pos] != ')')
                {
                    Fail("')'");
                }

                _pos++;
                return inner;
            }

            return ParseComparison();
        }

        private FilterComparison ParseComparison()
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            if (_pos == start)
            {
                Fail("attribute name or '('");
            }

            var name = _text.AsSpan(start, _pos - start);
            if (!BarrierAttributes.TryParseFilterName(name, out var attribute))
            {
                var hint = BarrierAttributes.SuggestFor(name);
                var expected = "a supported attribute (Department, Company, MemberOf, ExtensionAttribute1-15, ...)";
                throw new FilterParseException(start + 1, expected,
                    $"Column {start + 1}: '{name}' is not an attribute information barriers support" + (hint is null ? "." : $"; did you mean {hint}?"));
            }

            SkipSpace();
            var op = FilterOperator.Eq;
            if (TryKeyword("-ne"))
            {
                op = FilterOperator.Ne;
            }
            else if (!TryKeyword("-eq"))
            {
                Fail("comparison operator -eq or -ne");
            }

            SkipSpace();
            if (AtEnd || (_text[_pos] != '\'' && _text[_pos] != '"'))
            {
                Fail("a quoted value ('...' or \"...\")");
            }

            var quote = _text[_pos];
            var open = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw new FilterParseException(_text.Length + 1, $"closing {quote}", $"Column {_text.Length + 1}: expected closing {quote} for the value that starts at column {open + 1}.");
                }

                var ch = _text[_pos++];
                if (ch == quote)
                {
                    if (_pos < _text.Length && _text[_pos] == quote)
                    {
                        sb.Append(quote);
                        _pos++;
                        continue;
                    }

                    break;
                }

                sb.Append(ch);
            }

            return new FilterComparison(attribute, op, sb.ToString());
        }

        /// <summary>Consumes a case-insensitive keyword such as <c>-and</c> if it is next and not followed by a name character.</summary>
        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            if (_pos + keyword.Length > _text.Length
                || !_text.AsSpan(_pos, keyword.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var after = _pos + keyword.Length;
            if (after < _text.Length && char.IsAsciiLetterOrDigit(_text[after]))
            {
                return false;
            }

            _pos = after;
            return true;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public readonly void Fail(string expected)
        {
            var found = AtEnd ? "end of filter" : $"'{_text[_pos]}'";
            throw new FilterParseException(_pos + 1, expected, $"Column {_pos + 1}: expected {expected} but found {found}.");
        }
    }
}
