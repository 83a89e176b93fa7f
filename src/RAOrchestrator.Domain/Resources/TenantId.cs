namespace RAOrchestrator.Domain.Resources;

/// <summary>An Entra ID tenant id: a GUID, always held in its lower-case canonical form.</summary>
public static class TenantId
{
    public static bool TryNormalize(string? value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(value) || value.Length != 36 || !Guid.TryParseExact(value, "D", out var guid) || guid == Guid.Empty)
        {
            return false;
        }

        normalized = guid.ToString("D");
        return true;
    }
}
