using System.Security.Cryptography;

namespace RAOrchestrator.Directory;

/// <summary>Trusting exactly one TLS certificate (a local emulator's self-signed one) by its SHA-256 thumbprint.</summary>
public static class PinnedCertificate
{
    /// <summary>With a pin (hex, colons allowed), the handler trusts that certificate and no other; without one, nothing changes.</summary>
    public static SocketsHttpHandler Trusting(this SocketsHttpHandler handler, string? sha256Thumbprint)
    {
        if (!string.IsNullOrWhiteSpace(sha256Thumbprint))
        {
            var pin = sha256Thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), pin, StringComparison.OrdinalIgnoreCase);
        }

        return handler;
    }
}
