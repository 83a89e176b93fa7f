using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RAOrchestrator.GraphEmulator.Hosting;

/// <summary>The emulator's TLS certificate: generated self-signed for 127.0.0.1/localhost, or loaded from a PFX.</summary>
public static class EmulatorCertificate
{
    public static X509Certificate2 CreateSelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=RAOrchestrator Graph Emulator", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Loads the PFX at <paramref name="path"/>, or creates one there if it does not exist.</summary>
    public static X509Certificate2 LoadOrCreate(string path, string? password)
    {
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        var cert = CreateSelfSigned();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            System.IO.Directory.CreateDirectory(dir);
        }

        File.WriteAllBytes(path, cert.Export(X509ContentType.Pkcs12, password));
        return cert;
    }

    public static string ToPem(X509Certificate2 cert) => cert.ExportCertificatePem();

    /// <summary>SHA-256 thumbprint (hex), the value clients pin.</summary>
    public static string Sha256Thumbprint(X509Certificate2 cert) => cert.GetCertHashString(HashAlgorithmName.SHA256);
}
