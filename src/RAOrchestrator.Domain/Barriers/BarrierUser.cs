using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>
/// A directory user as the barrier engine sees it: the attribute values segment filters read, group memberships
/// (for <c>MemberOf</c>) and the account flags that matter to information barriers.
/// </summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.BarrierUser")]
public sealed record BarrierUser(
    [property: Id(0)] string Id,
    [property: Id(1)] bool AccountEnabled,
    [property: Id(2)] string UserType,
    [property: Id(3)] ImmutableDictionary<BarrierAttribute, string> Attributes,
    [property: Id(4)] ImmutableArray<string> MemberOf,
    [property: Id(5)] ImmutableArray<string> ProxyAddresses,
    [property: Id(6)] bool HiddenFromAddressLists = false)
{
    public const string Member = "Member";
    public const string Guest = "Guest";

    /// <summary>
    /// True when information barriers stop the account from communicating with anyone. Source: Microsoft Learn,
    /// "Get started with information barriers" (Configuration concepts, "Hidden/disabled user accounts"): hidden or
    /// disabled accounts get HiddenFromAddressListEnabled = True and "in IB-enabled organizations, these accounts are
    /// prevented from communicating with all other user accounts".
    /// </summary>
    public bool IsBarred => !AccountEnabled || HiddenFromAddressLists;

    /// <summary>A user built from values keyed by attribute, e.g. in tests and synthetic tenants.</summary>
    public static BarrierUser Create(
        string id,
        IEnumerable<KeyValuePair<BarrierAttribute, string>>? attributes = null,
        IEnumerable<string>? memberOf = null,
        bool accountEnabled = true,
        string userType = Member,
        IEnumerable<string>? proxyAddresses = null)
    {
        var b = ImmutableDictionary.CreateBuilder<BarrierAttribute, string>();
        var proxies = ImmutableArray.CreateBuilder<string>();
        var groups = ImmutableArray.CreateBuilder<string>();
        foreach (var (attribute, value) in attributes ?? [])
        {
            switch (attribute)
            {
                case BarrierAttribute.MemberOf:
                    groups.Add(value);
                    break;
                case BarrierAttribute.ProxyAddresses:
                    proxies.Add(value);
                    break;
                default:
                    b[attribute] = value;
                    break;
            }
        }

        groups.AddRange(memberOf ?? []);
        proxies.AddRange(proxyAddresses ?? []);
        return new BarrierUser(id, accountEnabled, userType, b.ToImmutable(), groups.ToImmutable(), proxies.ToImmutable());
    }

    /// <summary>
    /// A user built from Microsoft Graph v1.0 user properties. <paramref name="graphProperties"/> holds the property
    /// names as Graph spells them, nested ones flattened with '.' (<c>onPremisesExtensionAttributes.extensionAttribute1</c>);
    /// the mapping itself lives in <see cref="BarrierAttributes.TryMapGraphProperty"/>. Unknown names are ignored.
    /// </summary>
    public static BarrierUser FromGraph(
        string id,
        bool accountEnabled,
        string? userType,
        IEnumerable<KeyValuePair<string, string?>> graphProperties,
        IEnumerable<string>? proxyAddresses = null,
        IEnumerable<string>? memberOfGroupIds = null)
    {
        var attributes = new List<KeyValuePair<BarrierAttribute, string>>();
        foreach (var (name, value) in graphProperties)
        {
            if (value is not null && BarrierAttributes.TryMapGraphProperty(name, out var attribute))
            {
                attributes.Add(new(attribute, value));
            }
        }

        return Create(id, attributes, memberOfGroupIds, accountEnabled, userType ?? Member, proxyAddresses);
    }

    public string? Get(BarrierAttribute attribute) => Attributes.GetValueOrDefault(attribute);
}
