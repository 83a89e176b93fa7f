using System.Collections.Frozen;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// Directory attributes an information-barrier segment filter may use.
/// Source: Microsoft Learn, "Attributes for information barrier policies" (information-barriers-attributes.md, Reference table).
/// The enum names are the Azure AD (LDAP display) names, which are the canonical spelling this engine prints.
/// Never renumber: values are stored in compiled snapshots.
/// </summary>
public enum BarrierAttribute : byte
{
    Co = 1,
    Company = 2,
    Department = 3,
    ExtensionAttribute1 = 10, ExtensionAttribute2, ExtensionAttribute3, ExtensionAttribute4, ExtensionAttribute5,
    ExtensionAttribute6, ExtensionAttribute7, ExtensionAttribute8, ExtensionAttribute9, ExtensionAttribute10,
    ExtensionAttribute11, ExtensionAttribute12, ExtensionAttribute13, ExtensionAttribute14, ExtensionAttribute15,
    MSExchExtensionCustomAttribute1 = 30, MSExchExtensionCustomAttribute2, MSExchExtensionCustomAttribute3,
    MSExchExtensionCustomAttribute4, MSExchExtensionCustomAttribute5,
    MailNickname = 40,
    PhysicalDeliveryOfficeName = 41,
    PostalCode = 42,
    ProxyAddresses = 43,
    StreetAddress = 44,
    TargetAddress = 45,
    UsageLocation = 46,
    UserPrincipalName = 47,
    Mail = 48,
    Description = 49,
    MemberOf = 50,
}

/// <summary>Names, aliases and the Graph mapping of <see cref="BarrierAttribute"/>, kept in one place.</summary>
public static class BarrierAttributes
{
    /// <summary>Every attribute, in declaration order.</summary>
    public static IReadOnlyList<BarrierAttribute> All { get; } = Enum.GetValues<BarrierAttribute>();

    /// <summary>Largest enum value + 1: size of arrays indexed by attribute.</summary>
    internal const int SlotCount = 51;

    // Filter names: the Azure AD names plus the Exchange property names from the same Microsoft table
    // (Microsoft's own multi-segment example writes "MemberOfGroup"). Case-insensitive, as Exchange filters are.
    private static readonly FrozenDictionary<string, BarrierAttribute> FilterNames = BuildFilterNames();

    // Graph v1.0 user property names (flattened with '.') → attribute. The single place Graph names are mapped.
    private static readonly FrozenDictionary<string, BarrierAttribute> GraphNames = BuildGraphNames();

    /// <summary>Attributes that hold several values; a filter matches when any value matches.</summary>
    public static bool IsMultiValued(BarrierAttribute attribute) =>
        attribute is BarrierAttribute.MemberOf or BarrierAttribute.ProxyAddresses;

    /// <summary>The canonical name printed in filters (the Azure AD name).</summary>
    public static string CanonicalName(BarrierAttribute attribute) => attribute.ToString();

    /// <summary>Resolves a filter attribute name (Azure AD or Exchange spelling, any case).</summary>
    public static bool TryParseFilterName(ReadOnlySpan<char> name, out BarrierAttribute attribute) =>
        FilterNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out attribute);

    /// <summary>Maps a Graph user property name (e.g. <c>officeLocation</c>, <c>onPremisesExtensionAttributes.extensionAttribute3</c>).</summary>
    public static bool TryMapGraphProperty(string graphProperty, out BarrierAttribute attribute) =>
        GraphNames.TryGetValue(graphProperty, out attribute);

    /// <summary>The Graph property names that map to an attribute, for a caller's <c>$select</c>.</summary>
    public static IReadOnlyCollection<string> GraphPropertyNames => GraphNames.Keys;

    /// <summary>A suggestion for a name that is not a filter attribute but is a Graph property (e.g. CompanyName → Company).</summary>
    internal static string? SuggestFor(ReadOnlySpan<char> name) =>
        GraphNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var a) ? CanonicalName(a) : null;

    private static FrozenDictionary<string, BarrierAttribute> BuildFilterNames()
    {
        var d = new Dictionary<string, BarrierAttribute>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in Enum.GetValues<BarrierAttribute>())
        {
            d[a.ToString()] = a;
        }

        for (var i = 1; i <= 15; i++)
        {
            d[$"CustomAttribute{i}"] = (BarrierAttribute)((int)BarrierAttribute.ExtensionAttribute1 + i - 1);
        }

        for (var i = 1; i <= 5; i++)
        {
            d[$"ExtensionCustomAttribute{i}"] = (BarrierAttribute)((int)BarrierAttribute.MSExchExtensionCustomAttribute1 + i - 1);
        }

        d["Alias"] = BarrierAttribute.MailNickname;
        d["Office"] = BarrierAttribute.PhysicalDeliveryOfficeName;
        d["EmailAddresses"] = BarrierAttribute.ProxyAddresses;
        d["ExternalEmailAddress"] = BarrierAttribute.TargetAddress;
        d["WindowsEmailAddress"] = BarrierAttribute.Mail;
        d["MemberOfGroup"] = BarrierAttribute.MemberOf;
        return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static FrozenDictionary<string, BarrierAttribute> BuildGraphNames()
    {
        var d = new Dictionary<string, BarrierAttribute>(StringComparer.OrdinalIgnoreCase)
        {
            ["department"] = BarrierAttribute.Department,
            ["companyName"] = BarrierAttribute.Company,
            ["usageLocation"] = BarrierAttribute.UsageLocation,
            ["officeLocation"] = BarrierAttribute.PhysicalDeliveryOfficeName,
            ["country"] = BarrierAttribute.Co,
            ["postalCode"] = BarrierAttribute.PostalCode,
            ["streetAddress"] = BarrierAttribute.StreetAddress,
            ["mail"] = BarrierAttribute.Mail,
            ["userPrincipalName"] = BarrierAttribute.UserPrincipalName,
            ["mailNickname"] = BarrierAttribute.MailNickname,
            ["proxyAddresses"] = BarrierAttribute.ProxyAddresses,
        };
        for (var i = 1; i <= 15; i++)
        {
            d[$"onPremisesExtensionAttributes.extensionAttribute{i}"] = (BarrierAttribute)((int)BarrierAttribute.ExtensionAttribute1 + i - 1);
        }

        return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
