using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.Domain.Validation;
using Proto = RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Mapping;

/// <summary>A service account's vendor contact on the wire: checked with <see cref="VendorContactRules"/>; none sent (or an empty one) is none.</summary>
public static class VendorContactMapping
{
    /// <summary>The normalized contact, null when none was sent; INVALID_ARGUMENT naming <c>{field}.email</c> / <c>{field}.phone</c> when wrong.</summary>
    public static VendorContact? Read(Proto.VendorContact? contact, IReadOnlyCollection<string> tenantDomains, string field)
    {
        if (contact is null || (contact.Email.Length == 0 && contact.Phone.Length == 0))
        {
            return null;
        }

        var violations = new Violations();
        var checkedContact = VendorContactRules.Check(contact.Email, contact.Phone, tenantDomains, violations, field);
        violations.ThrowIfAny();
        return checkedContact;
    }

    public static Proto.VendorContact? ToProto(VendorContact? contact) =>
        contact is null ? null : new Proto.VendorContact { Email = contact.Email, Phone = contact.Phone ?? string.Empty };
}
