using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

public sealed class UserGroupFilterTests
{
    [Theory]
    [InlineData("Department -eq 'HR'", "Department -eq 'HR'")]
    [InlineData("department -EQ \"Sales\"", "Department -eq 'Sales'")]
    [InlineData("Department -ne 'Sales'", "Department -ne 'Sales'")]
    [InlineData("CustomAttribute1 -eq 'DayTrader'", "ExtensionAttribute1 -eq 'DayTrader'")]
    [InlineData("MemberOfGroup -eq 'AllTeachersgroup@northschoolsdistrict.com'", "MemberOf -eq 'AllTeachersgroup@northschoolsdistrict.com'")]
    [InlineData("(MemberOf -eq 'g1' -or MemberOf -eq 'g2') -and MemberOf -ne 'g3'", "(MemberOf -eq 'g1' -or MemberOf -eq 'g2') -and MemberOf -ne 'g3'")]
    [InlineData("Company -eq 'O''Brien & Sons'", "Company -eq 'O''Brien & Sons'")]
    [InlineData("Company -eq \"Say \"\"hi\"\"\"", "Company -eq 'Say \"hi\"'")]
    [InlineData("Company -eq \"it's\"", "Company -eq 'it''s'")]
    [InlineData("  ((Department -eq 'A'))  ", "Department -eq 'A'")]
    [InlineData("Department -eq 'A' -or Department -eq 'B' -and Co -eq 'DE'", "Department -eq 'A' -or (Department -eq 'B' -and Co -eq 'DE')")]
    public void A_filter_prints_in_canonical_form(string input, string canonical) =>
        Assert.Equal(canonical, UserGroupFilter.Parse(input).ToCanonicalString());

    [Theory]
    [InlineData("Department -eq 'A' -and (Company -eq 'B' -or (UsageLocation -ne 'US' -and (Mail -eq 'x@y' -or ProxyAddresses -eq 'smtp:x@y')))")]
    [InlineData("(Department -eq 'A' -and Company -eq 'B') -and Co -eq 'C'")]
    [InlineData("PostalCode -eq '`$(rm -rf)' -or Description -eq 'line1\nline2 ü 中文 😀'")]
    public void Canonical_text_parses_back_to_an_equal_tree(string input)
    {
        var tree = UserGroupFilter.Parse(input);
        var again = UserGroupFilter.Parse(tree.ToCanonicalString());
        Assert.Equal(tree, again);
        Assert.Equal(tree.ToCanonicalString(), again.ToCanonicalString());
    }

    [Theory]
    [InlineData("", 1, "attribute name")]
    [InlineData("Department", 11, "-eq or -ne")]
    [InlineData("Department -gt 'A'", 12, "-eq or -ne")]
    [InlineData("Department -eq A", 16, "quoted value")]
    [InlineData("Department -eq 'A", 18, "closing '")]
    [InlineData("Department -eq 'A' -and", 24, "attribute name")]
    [InlineData("(Department -eq 'A'", 20, "')'")]
    [InlineData("Department -eq 'A')", 19, "end of filter")]
    [InlineData("Department -eq 'A' Company -eq 'B'", 20, "end of filter")]
    [InlineData("Title -eq 'A'", 1, "supported attribute")]
    public void A_malformed_filter_is_refused_with_its_column_and_what_was_expected(string input, int column, string expected)
    {
        var e = Assert.Throws<FilterParseException>(() => UserGroupFilter.Parse(input));
        Assert.Equal(column, e.Column);
        Assert.Contains(expected, e.Expected, StringComparison.Ordinal);
        Assert.Contains($"Column {column}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_property_name_in_a_filter_suggests_the_filter_attribute()
    {
        var e = Assert.Throws<FilterParseException>(() => UserGroupFilter.Parse("CompanyName -eq 'OEM Ltd'"));
        Assert.Contains("did you mean Company", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses()
    {
        var text = new string('(', UserGroupFilter.MaxDepth) + "Department -eq 'A'" + new string(')', UserGroupFilter.MaxDepth);
        Assert.Equal("Department -eq 'A'", UserGroupFilter.Normalize(text));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_overflowing_the_stack()
    {
        var depth = UserGroupFilter.MaxDepth + 1;
        var text = new string('(', depth) + "Department -eq 'A'" + new string(')', depth);
        var e = Assert.Throws<FilterParseException>(() => UserGroupFilter.Parse(text));
        Assert.Equal(depth, e.Column);
        Assert.Contains("nested", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_input_of_a_hundred_thousand_parentheses_is_refused_by_length()
    {
        var e = Assert.Throws<FilterParseException>(() => UserGroupFilter.Parse(new string('(', 100_000)));
        Assert.Equal(UserGroupFilter.MaxLength + 1, e.Column);
    }

    [Fact]
    public void A_long_flat_chain_of_comparisons_does_not_recurse()
    {
        var text = string.Join(" -or ", Enumerable.Range(0, 150).Select(i => $"Department -eq 'D{i}'"));
        var tree = Assert.IsType<FilterGroup>(UserGroupFilter.Parse(text));
        Assert.Equal(150, tree.Operands.Length);
    }
}
