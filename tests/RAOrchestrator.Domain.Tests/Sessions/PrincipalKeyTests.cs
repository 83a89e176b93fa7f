using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class PrincipalKeyTests
{
    private static readonly Principal[] People =
    [
        Principal.Member("t1", "u1", "Ana"),
        Principal.Member("t1", "u12", "Ana"),
        Principal.Member("t11", "u2", "Ana"),
        Principal.Member("t1/u", "1", "Slash in the tenant"),
        Principal.Guest("t1", "u1", "Same ids, guest"),
        Principal.FederatedUser("t2", "u1", "Ben"),
        Principal.AnonymousGuest("vendor@example.com", "Vendor"),
        Principal.AnonymousGuest("vendor@example.co", "Vendor"),
        Principal.Phone("+15550100"),
        Principal.Phone("+1555010"),
        new Principal(PrincipalKind.TenantMember, null, null, null, "No ids"),
        new Principal(PrincipalKind.Anonymous, null, null, null, "No address"),
    ];

    private static readonly string[] OtherKeys =
    [
        string.Empty, "user:", "user:/", "user:t1", "user:t1/", "user:t1/u1/", "user:t1/u1 ", "User:t1/u1", "user:t1u1", "user:t1\\u1",
        "guest:", "guest:vendor@example.com/", "phone:", "phone:+15550100 ", "partner:p1", "user:t1/u/1",
    ];

    public static TheoryData<int> Everyone() => [.. Enumerable.Range(0, People.Length)];

    [Theory]
    [MemberData(nameof(Everyone))]
    public void A_person_has_exactly_the_keys_equal_to_its_built_key(int index)
    {
        var person = People[index];
        foreach (var key in People.Select(p => p.Key).Concat(OtherKeys))
        {
            Assert.True(person.HasKey(key) == (person.Key == key), $"{person.Key} against {key}");
        }

        Assert.True(person.HasKey(person.Key));
    }
}
