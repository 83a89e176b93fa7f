using System.Net.Security;
using System.Security.Cryptography;

namespace RAOrchestrator.Client;

/// <summary>Accepts exactly one server certificate, by its SHA-256 thumbprint, whatever signed it.</summary>
public static class CertificatePin
{
    public static string Normalize(string sha256Thumbprint)
    {
        var hex = sha256Thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("A certificate pin is the SHA-256 thumbprint: 64 hex digits (colons allowed).", nameof(sha256Thumbprint));
        }

        return hex.ToUpperInvariant();
    }

    public static RemoteCertificateValidationCallback Validator(string sha256Thumbprint)
    {
        var pinned = Normalize(sha256Thumbprint);
        return (_, certificate, _, _) =>
            certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase);
    }
}
