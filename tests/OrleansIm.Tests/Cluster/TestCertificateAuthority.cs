using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansIm.Tests.Cluster;

/// <summary>
/// A throwaway CA made in memory for one test class, issuing node certificates the way scripts/local-cluster.sh does
/// with openssl (EC P-256, TLS server and client usage, IP 127.0.0.1), and writing them as the files Cluster:Tls
/// reads: PEM certificate + key, or PKCS#12. No key material is committed to the repository.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    public TestCertificateAuthority(string name)
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>The CA certificate (with its key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A node certificate signed by this CA, valid from <paramref name="notBefore"/> (default: an hour ago) for a day unless <paramref name="notAfter"/> says otherwise.</summary>
    public X509Certificate2 Issue(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool serverAuthentication = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }; // TLS client
        if (serverAuthentication) usages.Add(new Oid("1.3.6.1.5.5.7.3.1")); // TLS server
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // positive
        using var signed = request.Create(Certificate, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(1), serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed node certificate (for thumbprint pinning).</summary>
    public static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2") }, critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Writes the CA certificate (no key) as PEM; returns its path.</summary>
    public string WriteCaPem(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes <paramref name="certificate"/> as a PEM certificate and a PKCS#8 key file; returns both paths.</summary>
    public static (string CertificatePath, string KeyPath) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no EC private key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>Writes <paramref name="certificate"/> with its key as PKCS#12 protected by <paramref name="password"/>; returns the path.</summary>
    public static string WritePfx(X509Certificate2 certificate, string directory, string name, string password)
    {
        var path = Path.Combine(directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
