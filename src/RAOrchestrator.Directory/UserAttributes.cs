using Microsoft.Graph.Models;

namespace RAOrchestrator.Directory;

/// <summary>
/// The directory attributes this service writes and reads on users, by their Graph property names: those barrier
/// segments filter on (department, companyName, officeLocation, postalCode, country, mail, extensionAttribute1-15).
/// </summary>
public static class UserAttributes
{
    public static readonly IReadOnlyList<string> Writable =
        ["department", "companyName", "officeLocation", "postalCode", "country", "jobTitle",
         .. Enumerable.Range(1, 15).Select(i => $"extensionAttribute{i}")];

    /// <summary>What to $select when reading users: identity, licences and every attribute segments can use.</summary>
    public static readonly string[] Select =
        ["id", "userPrincipalName", "displayName", "accountEnabled", "userType", "usageLocation", "assignedLicenses",
         "mail", "mailNickname", "department", "companyName", "officeLocation", "postalCode", "country", "jobTitle",
         "streetAddress", "proxyAddresses", "onPremisesExtensionAttributes"];

    public static bool IsWritable(string name) => Writable.Contains(name, StringComparer.Ordinal);

    public static void Apply(User user, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            switch (name)
            {
                case "department": user.Department = value; break;
                case "companyName": user.CompanyName = value; break;
                case "officeLocation": user.OfficeLocation = value; break;
                case "postalCode": user.PostalCode = value; break;
                case "country": user.Country = value; break;
                case "jobTitle": user.JobTitle = value; break;
                case var ext when ext.StartsWith("extensionAttribute", StringComparison.Ordinal) && int.TryParse(ext.AsSpan(18), out var n) && n is >= 1 and <= 15:
                    user.OnPremisesExtensionAttributes ??= new OnPremisesExtensionAttributes();
                    typeof(OnPremisesExtensionAttributes).GetProperty($"ExtensionAttribute{n}")!.SetValue(user.OnPremisesExtensionAttributes, value);
                    break;
                default:
                    throw new ArgumentException($"'{name}' is not a directory attribute this service sets; settable: {string.Join(", ", Writable)}.", nameof(attributes));
            }
        }
    }

    public static IReadOnlyDictionary<string, string> Read(User user)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                values[name] = value;
            }
        }

        Put("mail", user.Mail);
        Put("mailNickname", user.MailNickname);
        Put("department", user.Department);
        Put("companyName", user.CompanyName);
        Put("officeLocation", user.OfficeLocation);
        Put("postalCode", user.PostalCode);
        Put("country", user.Country);
        Put("jobTitle", user.JobTitle);
        Put("streetAddress", user.StreetAddress);
        if (user.ProxyAddresses is { Count: > 0 } proxies)
        {
            values["proxyAddresses"] = string.Join(';', proxies);
        }

        if (user.OnPremisesExtensionAttributes is { } ext)
        {
            for (var i = 1; i <= 15; i++)
            {
                Put($"extensionAttribute{i}", typeof(OnPremisesExtensionAttributes).GetProperty($"ExtensionAttribute{i}")!.GetValue(ext) as string);
            }
        }

        return values;
    }
}
