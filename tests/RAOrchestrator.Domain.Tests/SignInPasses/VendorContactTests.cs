using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Domain.Tests.SignInPasses;

public sealed class VendorContactTests
{
    private static readonly string[] TenantDomains = ["companyabc.com", "companyabc.onmicrosoft.com"];

    private static (VendorContact? Contact, IReadOnlyList<FieldViolation> Violations) Check(string? email, string? phone = null)
    {
        var violations = new Violations();
        var contact = VendorContactRules.Check(email, phone, TenantDomains, violations, "vendor_contact");
        var thrown = Record.Exception(violations.ThrowIfAny) as OrchestratorException;
        return (contact, thrown?.Violations ?? []);
    }

    [Fact]
    public void An_outside_address_and_an_E164_phone_are_kept_normalized()
    {
        var (contact, violations) = Check("  Expert@Vendor.Example ", " +4915112345678 ");

        Assert.Empty(violations);
        Assert.Equal(new VendorContact("expert@vendor.example", "+4915112345678"), contact);
    }

    [Fact]
    public void The_phone_is_optional()
    {
        var (contact, violations) = Check("expert@vendor.example", "  ");

        Assert.Empty(violations);
        Assert.Null(contact!.Phone);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("expert")]
    [InlineData("expert@vendor")]
    [InlineData("ex pert@vendor.example")]
    public void A_missing_or_malformed_email_names_the_email_field(string? email)
    {
        var (contact, violations) = Check(email);

        Assert.Null(contact);
        Assert.Equal("vendor_contact.email", Assert.Single(violations).Field);
    }

    [Theory]
    [InlineData("someone@companyabc.com")]
    [InlineData("someone@COMPANYABC.onmicrosoft.com")]
    [InlineData("someone@sales.companyabc.com")]
    public void An_address_in_the_tenants_own_domains_is_refused(string email)
    {
        var (_, violations) = Check(email);

        var violation = Assert.Single(violations);
        Assert.Equal("vendor_contact.email", violation.Field);
        Assert.Contains("outside the tenant's domains", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lookalike_domain_is_outside_the_tenant()
    {
        Assert.Empty(Check("expert@notcompanyabc.com").Violations);
    }

    [Theory]
    [InlineData("015112345678")]
    [InlineData("+0151123456")]
    [InlineData("+49 151 12345678")]
    [InlineData("+1234567890123456")]
    [InlineData("+")]
    public void A_phone_not_in_E164_names_the_phone_field(string phone)
    {
        var (contact, violations) = Check("expert@vendor.example", phone);

        Assert.Null(contact);
        Assert.Equal("vendor_contact.phone", Assert.Single(violations).Field);
    }

    [Fact]
    public void Both_wrong_fields_are_reported_at_once()
    {
        var (_, violations) = Check("someone@companyabc.com", "12");

        Assert.Equal(["vendor_contact.email", "vendor_contact.phone"], violations.Select(v => v.Field));
    }
}
