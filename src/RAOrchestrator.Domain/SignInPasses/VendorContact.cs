using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// The vendor's expert a service account is handed to: their own e-mail address, outside the customer tenant (the
/// sign-in pass is delivered there), and optionally a phone number in E.164 for the record. Pure.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.VendorContact")]
public sealed record VendorContact([property: Id(0)] string Email, [property: Id(1)] string? Phone);

public static class VendorContactRules
{
    /// <summary>The E.164 maximum: '+', a country code not starting with 0, at most 15 digits in all.</summary>
    public const int MaxPhoneDigits = 15;

    /// <summary>
    /// Adds a violation per wrong field (<c>{field}.email</c>, <c>{field}.phone</c>) and returns the normalized contact,
    /// or null when a field is wrong. <paramref name="tenantDomains"/> are the tenant's domains when known: an address in
    /// one of them (or a subdomain of one) is the tenant's own, not the vendor's.
    /// </summary>
    public static VendorContact? Check(string? email, string? phone, IReadOnlyCollection<string> tenantDomains, Violations violations, string field)
    {
        var ok = true;
        var normalized = EmailAddress.Normalize(email);
        if (!EmailAddress.IsValid(normalized))
        {
            violations.Add($"{field}.email", "is required: the vendor expert's own e-mail address, such as expert@vendor.example");
            ok = false;
        }
        else if (InTenantDomains(normalized!, tenantDomains) is { } domain)
        {
            violations.Add($"{field}.email", $"must be outside the tenant's domains ({domain} is one): the expert's own address at their company");
            ok = false;
        }

        var trimmedPhone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
        if (trimmedPhone is not null && !IsE164(trimmedPhone))
        {
            violations.Add($"{field}.phone", "must be in E.164 form: '+', the country code and the number, digits only, such as +4915112345678");
            ok = false;
        }

        return ok ? new VendorContact(normalized!, trimmedPhone) : null;
    }

    public static bool IsE164(string phone) =>
        phone.Length is >= 3 and <= MaxPhoneDigits + 1 && phone[0] == '+' && phone[1] is >= '1' and <= '9' && phone.Skip(1).All(char.IsAsciiDigit);

    private static string? InTenantDomains(string email, IReadOnlyCollection<string> tenantDomains)
    {
        var domain = email[(email.LastIndexOf('@') + 1)..];
        return tenantDomains.FirstOrDefault(d =>
            string.Equals(domain, d, StringComparison.OrdinalIgnoreCase) ||
            domain.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }
}
