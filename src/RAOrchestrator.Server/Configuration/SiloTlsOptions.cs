using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// Mutual TLS on the silo (and gateway) connections: every silo presents the cluster certificate and accepts a peer
/// only if the peer presents a certificate whose SHA-256 thumbprint is its own certificate's or one of
/// <see cref="AllowedThumbprints"/> (to roll the cluster certificate: add the new one's thumbprint, roll out, switch).
/// </summary>
public sealed class SiloTlsOptions
{
    /// <summary>A PFX file with the cluster certificate and its private key; unset: silos talk plaintext.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>SHA-256 thumbprints (hex, ':' allowed) of further certificates a peer may present.</summary>
    public string[] AllowedThumbprints { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>The certificate with its private key; throws when the file is missing, unreadable or has no private key.</summary>
    public X509Certificate2 LoadCertificate()
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, string.IsNullOrEmpty(CertificatePassword) ? null : CertificatePassword);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException("The certificate has no private key.");
        }

        return certificate;
    }

    /// <summary>The SHA-256 thumbprints a peer's certificate must have one of: the local certificate's and the allowed ones.</summary>
    public IReadOnlySet<string> TrustedThumbprints(X509Certificate2 local) =>
        AllowedThumbprints.Select(Normalize).Append(Thumbprint(local)).ToHashSet(StringComparer.Ordinal);

    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public static string Normalize(string thumbprint) => thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();

    public IEnumerable<string> Validate()
    {
        foreach (var thumbprint in AllowedThumbprints)
        {
            var hex = Normalize(thumbprint);
            if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            {
                yield return "Cluster:Tls:AllowedThumbprints must each be a SHA-256 thumbprint (64 hex digits, ':' allowed).";
                break;
            }
        }

        if (!Enabled)
        {
            if (AllowedThumbprints.Length > 0)
            {
                yield return "Cluster:Tls:AllowedThumbprints needs Cluster:Tls:CertificatePath.";
            }

            yield break;
        }

        if (!File.Exists(CertificatePath))
        {
            yield return $"Cluster:Tls:CertificatePath '{CertificatePath}' does not exist.";
            yield break;
        }

        string? problem = null;
        try
        {
            using var certificate = LoadCertificate();
        }
        catch (CryptographicException ex)
        {
            problem = $"Cluster:Tls:CertificatePath '{CertificatePath}' must be a PFX with its private key that Cluster:Tls:CertificatePassword opens: {ex.Message}";
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }
}
