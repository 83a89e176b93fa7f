using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>Thrown for a $filter (or other query) the emulator does not support.</summary>
public sealed class UnsupportedQueryException(string message) : Exception(message);

/// <summary>
/// A small OData $filter evaluator: <c>eq</c>, <c>ne</c>, <c>startswith(p,'v')</c>, <c>endswith(p,'v')</c>,
/// <c>p/any(x:x/q eq v)</c>, <c>and</c>, <c>or</c>, <c>not</c>, parentheses; nested properties with '/'.
/// String comparisons are case-insensitive, as in the directory.
/// </summary>
public static class ODataFilter
{
    public static Func<JsonObject, bool> Parse(string filter)
    {
        var p = new Parser(Tokenize(filter));
        var f = p.ParseOr();
        if (!p.AtEnd)
        {
            throw new UnsupportedQueryException($"Invalid filter clause: syntax error at '{p.Peek}'.");
        }

        return o => f(o);
    }

    private sealed record Token(string Text, bool IsString);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')' or ',' or ':') { tokens.Add(new Token(c.ToString(), false)); i++; continue; }
            if (c == '\'')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length)
                    {
                        throw new UnsupportedQueryException("Invalid filter clause: unterminated string literal.");
                    }

                    if (s[i] == '\'')
                    {
                        if (i + 1 < s.Length && s[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(s[i++]);
                }
                tokens.Add(new Token(sb.ToString(), true));
                continue;
            }
            var start = i;
            while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] is not ('(' or ')' or ',' or ':' or '\''))
            {
                i++;
            }

            tokens.Add(new Token(s[start..i], false));
        }
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _pos;
        public bool AtEnd => _pos >= tokens.Count;
        public string Peek => AtEnd ? "<end>" : tokens[_pos].Text;

        private bool IsKeyword(string k) => !AtEnd && !tokens[_pos].IsString && string.Equals(tokens[_pos].Text, k, StringComparison.OrdinalIgnoreCase);

        private Token Next() => AtEnd ? throw new UnsupportedQueryException("Invalid filter clause: unexpected end.") : tokens[_pos++];

        private void Expect(string t)
        {
            var n = Next();
            if (n.IsString || n.Text != t)
            {
                throw new UnsupportedQueryException($"Invalid filter clause: expected '{t}' but found '{n.Text}'.");
            }
        }

        public Func<JsonNode?, bool> ParseOr()
        {
            var left = ParseAnd();
            while (IsKeyword("or")) { _pos++; var l = left; var r = ParseAnd(); left = o => l(o) || r(o); }
            return left;
        }

        private Func<JsonNode?, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (IsKeyword("and")) { _pos++; var l = left; var r = ParseUnary(); left = o => l(o) && r(o); }
            return left;
        }

        private Func<JsonNode?, bool> ParseUnary()
        {
            if (IsKeyword("not")) { _pos++; var inner = ParseUnary(); return o => !inner(o); }
            if (!AtEnd && tokens[_pos].Text == "(" && !tokens[_pos].IsString)
            {
                _pos++;
                var e = ParseOr();
                Expect(")");
                return e;
            }
            var head = Next();
            if (head.IsString)
            {
                throw new UnsupportedQueryException("Invalid filter clause: a property name is expected.");
            }

            if (head.Text.Equals("startswith", StringComparison.OrdinalIgnoreCase) || head.Text.Equals("endswith", StringComparison.OrdinalIgnoreCase))
            {
                var starts = head.Text.Equals("startswith", StringComparison.OrdinalIgnoreCase);
                Expect("(");
                var prop = Next().Text;
                Expect(",");
                var lit = Next();
                Expect(")");
                return o => Get(o, prop) is JsonValue v && v.TryGetValue<string>(out var s) &&
                    (starts ? s.StartsWith(lit.Text, StringComparison.OrdinalIgnoreCase) : s.EndsWith(lit.Text, StringComparison.OrdinalIgnoreCase));
            }
            if (head.Text.EndsWith("/any", StringComparison.OrdinalIgnoreCase))
            {
                var collection = head.Text[..^4];
                Expect("(");
                var variable = Next().Text;
                Expect(":");
                var body = ParseOr();
                Expect(")");
                return o => Get(o, collection) is JsonArray arr && arr.Any(item => body(new JsonObject { [variable] = item?.DeepClone() }));
            }
            var op = Next().Text.ToLowerInvariant();
            var value = Next();
            object? literal = value.IsString ? value.Text : value.Text switch
            {
                "null" => null,
                "true" => true,
                "false" => false,
                _ => value.Text,
            };
            var path = head.Text;
            return op switch
            {
                "eq" => o => Equal(Get(o, path), literal),
                "ne" => o => !Equal(Get(o, path), literal),
                _ => throw new UnsupportedQueryException($"Unsupported or invalid query filter clause specified for property '{path}' of resource 'User'."),
            };
        }
    }

    private static JsonNode? Get(JsonNode? o, string path)
    {
        foreach (var part in path.Split('/'))
        {
            if (o is not JsonObject obj)
            {
                return null;
            }

            o = obj.FirstOrDefault(kv => string.Equals(kv.Key, part, StringComparison.OrdinalIgnoreCase)).Value;
        }
        return o;
    }

    private static bool Equal(JsonNode? node, object? literal)
    {
        if (literal is null)
        {
            return node is null;
        }

        if (node is not JsonValue v)
        {
            return false;
        }

        if (literal is bool b)
        {
            return v.TryGetValue<bool>(out var nb) && nb == b;
        }

        var text = (string)literal;
        if (v.TryGetValue<string>(out var s))
        {
            return string.Equals(s, text, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(v.ToJsonString(), text, StringComparison.OrdinalIgnoreCase);
    }
}
