using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Domain.Tests;

public sealed class ResourceNameTests
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Other = "0b2f6b0e-5a6e-4a49-9d2b-2f4f3a1c9e11";

    [Theory]
    [InlineData("Vendors-OEM", true)]
    [InlineData("v1.2_beta", true)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("...", false)]
    [InlineData(".hidden", false)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    public void A_child_id_is_letters_digits_and_marks_never_starting_with_a_dot(string id, bool valid) =>
        Assert.Equal(valid, ResourceName.IsValidChildId(id));

    [Theory]
    [InlineData("Vendors", "Vendors")]
    [InlineData($"tenants/{Tenant}/segments/Vendors", "Vendors")]
    [InlineData($"tenants/{Other}/segments/Vendors", null)]
    [InlineData($"tenants/{Tenant}/barrierPolicies/Vendors", null)]
    [InlineData($"tenants/{Tenant}/segments/..", null)]
    [InlineData($"tenants/{Tenant}/segments", null)]
    [InlineData("segments/Vendors", null)]
    [InlineData("..", null)]
    public void A_reference_to_a_child_is_its_name_in_the_same_tenant_or_its_id(string value, string? id)
    {
        var violations = new Violations();

        var parsed = ResourceName.ParseChildReference(value, Tenant, "segments", violations, "assigned_segment");

        Assert.Equal(id ?? string.Empty, parsed);
        Assert.Equal(id is null, violations.Any);
    }
}
