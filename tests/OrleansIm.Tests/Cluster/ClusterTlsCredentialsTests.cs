using System.Security.Cryptography.X509Certificates;
using OrleansIm.Gateway;
using OrleansIm.Silo;
using Xunit;

namespace OrleansIm.Tests.Cluster;

/// <summary>
/// How Cluster:Tls is read and which peers it accepts: the start-up refusals (no certificate, no trust rule, bad
/// files) and the peer rule (CA chain, thumbprint pins, validity) on certificates made in memory.
/// </summary>
public sealed class ClusterTlsCredentialsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orleansim-tls-").FullName;
    private readonly TestCertificateAuthority _ca = new("OrleansIm test CA");
    private readonly TestCertificateAuthority _otherCa = new("Some other CA");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private ClusterTlsSettings PemSettings(X509Certificate2 certificate, string name = "node")
    {
        var (certificatePath, keyPath) = TestCertificateAuthority.WritePem(certificate, _dir, name);
        return new ClusterTlsSettings { CertificatePath = certificatePath, KeyPath = keyPath, CaCertificatePath = _ca.WriteCaPem(_dir, "ca.crt") };
    }

    [Fact]
    public void Without_a_certificate_a_cluster_process_refuses_to_start_and_names_the_settings_and_the_escape_hatch()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(new ClusterTlsSettings(), "The gateway", acceptsConnections: false));
        Assert.Contains("Cluster:Tls:CertificatePath", e.Message);
        Assert.Contains("Cluster:Tls:CaCertificatePath", e.Message);
        Assert.Contains("Cluster:Tls:Enabled=false", e.Message);

        Assert.Null(ClusterTlsCredentials.Load(new ClusterTlsSettings { Enabled = false }, "The gateway", acceptsConnections: false));
    }

    [Fact]
    public void The_silo_and_gateway_executables_refuse_to_start_without_cluster_tls()
    {
        string[] common = ["--ConnectionStrings:Redis=127.0.0.1:1", "--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1", "--OrleansIm:Mode=silo",
            "--Gateway:AppKey=some-app-key", $"--Gateway:JwtSecret={new string('s', 40)}"];
        var silo = Assert.Throws<InvalidOperationException>(() => ClusterSiloNode.Build(common));
        Assert.Contains("OrleansIm:Mode 'silo' needs mutual TLS", silo.Message);
        var gateway = Assert.Throws<InvalidOperationException>(() => GatewayNode.Build(common[..1]));
        Assert.Contains("The gateway needs mutual TLS", gateway.Message);
    }

    [Fact]
    public void A_certificate_without_a_rule_for_trusting_peers_is_refused()
    {
        using var node = _ca.Issue("node");
        var settings = PemSettings(node);
        settings.CaCertificatePath = null;
        var e = Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(settings, "The gateway", acceptsConnections: false));
        Assert.Contains("CaCertificatePath or Cluster:Tls:AllowedThumbprints", e.Message);
    }

    [Fact]
    public void Missing_files_a_wrong_password_and_a_bad_thumbprint_are_refused_with_the_setting_named()
    {
        using var node = _ca.Issue("node");
        var missing = PemSettings(node);
        missing.KeyPath = Path.Combine(_dir, "nope.key");
        Assert.Contains("Cluster:Tls:KeyPath", Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(missing, "x", false)).Message);

        var pfx = new ClusterTlsSettings
        {
            CertificatePath = TestCertificateAuthority.WritePfx(node, _dir, "node", "right password"),
            Password = "wrong password",
            CaCertificatePath = _ca.WriteCaPem(_dir, "ca.crt"),
        };
        Assert.Contains("Cluster:Tls:Password", Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(pfx, "x", false)).Message);
        pfx.Password = "right password";
        Assert.Equal(node.Thumbprint, ClusterTlsCredentials.Load(pfx, "x", false)!.Certificate.Thumbprint);

        var thumbprint = PemSettings(node);
        thumbprint.AllowedThumbprints = ["not-hex"];
        Assert.Contains("AllowedThumbprints", Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(thumbprint, "x", false)).Message);
    }

    [Fact]
    public void A_silo_certificate_must_allow_tls_server_use_and_be_valid_now()
    {
        using var clientOnly = _ca.Issue("gateway", serverAuthentication: false);
        Assert.NotNull(ClusterTlsCredentials.Load(PemSettings(clientOnly), "The gateway", acceptsConnections: false));
        var e = Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(PemSettings(clientOnly), "silo", acceptsConnections: true));
        Assert.Contains("TLS server authentication", e.Message);

        using var expired = _ca.Issue("old", DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Contains("not valid now", Assert.Throws<InvalidOperationException>(() => ClusterTlsCredentials.Load(PemSettings(expired), "silo", true)).Message);
    }

    [Fact]
    public void With_a_ca_only_certificates_it_signed_are_trusted_peers()
    {
        using var self = _ca.Issue("silo-1");
        var credentials = ClusterTlsCredentials.Load(PemSettings(self), "silo", acceptsConnections: true)!;

        using var sibling = _ca.Issue("silo-2");
        using var foreign = _otherCa.Issue("intruder");
        using var selfSigned = TestCertificateAuthority.SelfSigned("silo-2");
        using var expired = _ca.Issue("silo-3", DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-1));
        using var publicCert = X509CertificateLoader.LoadCertificate(sibling.RawData); // what a peer sends: no key

        Assert.True(credentials.IsTrustedPeer(publicCert));
        Assert.False(credentials.IsTrustedPeer(foreign));
        Assert.False(credentials.IsTrustedPeer(selfSigned));
        Assert.False(credentials.IsTrustedPeer(expired));
        Assert.False(credentials.IsTrustedPeer(_otherCa.Certificate));
    }

    [Fact]
    public void Thumbprint_pins_accept_exactly_the_listed_certificates_and_narrow_a_ca()
    {
        using var self = TestCertificateAuthority.SelfSigned("silo-1");
        using var pinned = TestCertificateAuthority.SelfSigned("silo-2");
        using var other = TestCertificateAuthority.SelfSigned("silo-3");
        var (certificatePath, keyPath) = TestCertificateAuthority.WritePem(self, _dir, "self");
        var sha256 = pinned.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var pins = ClusterTlsCredentials.Load(new ClusterTlsSettings
        {
            CertificatePath = certificatePath,
            KeyPath = keyPath,
            // SHA-1 with colons in lower case, SHA-256 as is: both forms are accepted.
            AllowedThumbprints = [string.Join(':', self.Thumbprint.Chunk(2).Select(c => new string(c))).ToLowerInvariant(), sha256],
        }, "silo", acceptsConnections: true)!;
        Assert.True(pins.IsTrustedPeer(self));
        Assert.True(pins.IsTrustedPeer(pinned));
        Assert.False(pins.IsTrustedPeer(other));

        // CA and pins together: a certificate must pass both.
        using var signedPinned = _ca.Issue("silo-4");
        using var signedNotPinned = _ca.Issue("silo-5");
        using var signedSelf = _ca.Issue("silo-6");
        var both = PemSettings(signedSelf, "silo-6");
        both.AllowedThumbprints = [signedPinned.Thumbprint, pinned.Thumbprint];
        var narrowed = ClusterTlsCredentials.Load(both, "silo", acceptsConnections: true)!;
        Assert.True(narrowed.IsTrustedPeer(signedPinned));
        Assert.False(narrowed.IsTrustedPeer(signedNotPinned));
        Assert.False(narrowed.IsTrustedPeer(pinned));
    }
}
