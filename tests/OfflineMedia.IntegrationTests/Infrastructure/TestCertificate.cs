using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// A self-signed certificate for 127.0.0.1, made by the test and written as PEM files a server can load. A client trusts
/// it through <see cref="Validate"/>, which trusts this certificate alone (never the machine's roots), and only for
/// the name it was made for.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Gets the PEM file of the certificate.</summary>
    public string CertificatePath { get; }

    /// <summary>Gets the PEM file of the private key (PKCS#8).</summary>
    public string KeyPath { get; }

    /// <summary>Makes a certificate for 127.0.0.1 valid for a day and writes <c>test.crt</c> and <c>test.key</c> into <paramref name="folder"/>.</summary>
    public static TestCertificate Create(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // Server auth.
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, "test.crt");
        var keyPath = Path.Combine(folder, "test.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(certificate, certificatePath, keyPath);
    }

    /// <summary>
    /// A server certificate check for <see cref="HttpClientHandler.ServerCertificateCustomValidationCallback"/> and
    /// <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>: the name must match, and the
    /// chain must end in this certificate.
    /// </summary>
    public bool Validate(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf);
    }

    public void Dispose() => Certificate.Dispose();
}
