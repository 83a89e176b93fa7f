using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RAOrchestrator.GraphEmulator.Hosting;

/// <summary>HTTP handlers that trust exactly the emulator's certificate (by SHA-256 thumbprint) and nothing else.</summary>
public static class EmulatorTls
{
    public static SocketsHttpHandler CreatePinnedHandler(X509Certificate2 certificate) =>
        CreatePinnedHandler(EmulatorCertificate.Sha256Thumbprint(certificate));

    public static SocketsHttpHandler CreatePinnedHandler(string sha256Thumbprint)
    {
        var pinned = sha256Thumbprint.Replace(":", "").Trim();
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is not null && string.Equals(cert.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    /// <summary>Loads the public certificate the emulator wrote with <c>--cert-pem-out</c>.</summary>
    public static X509Certificate2 LoadPem(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));
}
