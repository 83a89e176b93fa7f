using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RAOrchestrator.Testing;

/// <summary>Self-signed cluster certificates for TLS tests, written as PFX files (with their private key) to a temp folder.</summary>
public sealed class ClusterCertificates : IDisposable
{
    public const string Password = "cluster-test";

    private readonly string _folder = Directory.CreateTempSubdirectory("raorchestrator-tls-").FullName;

    /// <summary>A new self-signed certificate (client and server authentication) and the PFX file it was written to.</summary>
    public (X509Certificate2 Certificate, string PfxPath) Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = created.Export(X509ContentType.Pkcs12, Password);
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, pfx);
        return (X509CertificateLoader.LoadPkcs12(pfx, Password), path);
    }

    /// <summary>A PFX file holding only the public part of a certificate: no private key.</summary>
    public string WithoutKey(X509Certificate2 certificate, string name)
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, publicOnly.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    public string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
