using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Connections.Security;

namespace OrleansIm.Gateway;

/// <summary>
/// This process's cluster certificate and the rule that decides which peers it accepts, loaded from
/// <see cref="ClusterTlsSettings"/> once at start-up, so a bad file, password or missing trust setting refuses to start
/// with a message naming the setting instead of failing every connection later. <see cref="Configure"/> hands both to
/// Orleans' TLS (Microsoft.Orleans.Connections.Security): certificates are required in both directions, and a peer
/// is accepted only by <see cref="IsTrustedPeer"/> — never by the system's trust store or by host name (silo
/// addresses are pod IPs that change; the CA or the thumbprint list is what identifies a cluster member).
/// </summary>
public sealed class ClusterTlsCredentials
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection _trustedCas;
    private readonly HashSet<string> _allowedThumbprints;
    private readonly TimeSpan _handshakeTimeout;

    private ClusterTlsCredentials(X509Certificate2 certificate, X509Certificate2Collection trustedCas, HashSet<string> allowedThumbprints, TimeSpan handshakeTimeout)
    {
        Certificate = certificate;
        _trustedCas = trustedCas;
        _allowedThumbprints = allowedThumbprints;
        _handshakeTimeout = handshakeTimeout;
    }

    /// <summary>The certificate (with its private key) this process presents to its peers.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where refused peers are reported (set once the host's logging exists; connections start after that).</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>
    /// Null when <c>Cluster:Tls:Enabled</c> is explicitly false. Otherwise the loaded credentials, or an
    /// <see cref="InvalidOperationException"/> saying which setting is missing or wrong.
    /// </summary>
    /// <param name="who">The process, for messages ("OrleansIm:Mode 'silo'", "The gateway").</param>
    /// <param name="acceptsConnections">A silo: its certificate must also be valid for TLS server authentication.</param>
    public static ClusterTlsCredentials? Load(ClusterTlsSettings settings, string who, bool acceptsConnections)
    {
        const string S = ClusterTlsSettings.SectionName;
        if (settings.Enabled == false) return null;
        if (string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            throw new InvalidOperationException(
                $"{who} needs mutual TLS for cluster traffic, and {S}:CertificatePath is not set. Set {S}:CertificatePath " +
                $"(this process's certificate: PFX, or PEM with {S}:KeyPath) and {S}:CaCertificatePath (the CA that signed " +
                $"every cluster process's certificate) or {S}:AllowedThumbprints. Only on a development machine or a network " +
                $"private end to end: {S}:Enabled=false. See docs/operations.md (Cluster TLS).");
        }
        if (string.IsNullOrWhiteSpace(settings.CaCertificatePath) && settings.AllowedThumbprints.Length == 0)
        {
            throw new InvalidOperationException(
                $"{who}: {S} needs {S}:CaCertificatePath or {S}:AllowedThumbprints to decide which peers to trust " +
                "(a cluster that accepted any certificate would let anyone join it).");
        }
        if (settings.HandshakeTimeout <= TimeSpan.Zero)
            throw new InvalidOperationException($"{who}: {S}:HandshakeTimeout must be positive.");

        var certificate = LoadCertificate(settings, $"{S}:CertificatePath");
        RequireUsable(certificate, acceptsConnections, $"{who}: {S}:CertificatePath '{settings.CertificatePath}'");

        var trustedCas = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(settings.CaCertificatePath))
        {
            var path = RequireFile(settings.CaCertificatePath, $"{S}:CaCertificatePath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (IsPem(bytes)) trustedCas.ImportFromPemFile(path);
                else trustedCas.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException($"{S}:CaCertificatePath '{path}' could not be read as certificates: {e.Message}", e);
            }
            if (trustedCas.Count == 0)
                throw new InvalidOperationException($"{S}:CaCertificatePath '{path}' holds no certificate.");
        }

        var thumbprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var configured in settings.AllowedThumbprints)
        {
            var thumbprint = NormalizeThumbprint(configured);
            if (thumbprint.Length is not (40 or 64) || !thumbprint.All(Uri.IsHexDigit))
                throw new InvalidOperationException($"{S}:AllowedThumbprints: '{configured}' is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.");
            thumbprints.Add(thumbprint);
        }

        return new ClusterTlsCredentials(certificate, trustedCas, thumbprints, settings.HandshakeTimeout);
    }

    /// <summary>
    /// Once the host is built: refused peers go to its log, and a process running without TLS says so loudly.
    /// </summary>
    public static void AttachLogging(ClusterTlsCredentials? credentials, IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<ClusterTlsCredentials>();
        if (credentials is null)
        {
            logger.LogWarning("!!! {Setting}:Enabled is false: cluster traffic (silo and Orleans gateway ports) is neither authenticated nor encrypted, and whoever reaches those ports can call any grain. Development only. !!!", ClusterTlsSettings.SectionName);
            return;
        }
        credentials.Logger = logger;
        logger.LogInformation("Cluster traffic uses mutual TLS; this process presents {Subject} (SHA-1 {Thumbprint}, valid until {NotAfter:u})",
            credentials.Certificate.Subject, credentials.Certificate.Thumbprint, credentials.Certificate.NotAfter);
    }

    /// <summary>Orleans' TLS options for this process: our certificate, the peer's required, accepted only by <see cref="IsTrustedPeer"/>.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        // Both ends must present a certificate: the accepting side requires one (RemoteCertificateMode), and the
        // connecting side fails loudly instead of silently sending none (ClientCertificateMode).
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, _) => IsTrustedPeer(certificate);
        options.HandshakeTimeout = _handshakeTimeout;
    }

    /// <summary>
    /// Whether a peer presenting <paramref name="certificate"/> is a member of this cluster: within its validity
    /// period, chaining to one of the configured CA certificates (if any; revocation is not checked), and listed in
    /// the allowed thumbprints (if any).
    /// </summary>
    public bool IsTrustedPeer(X509Certificate2 certificate)
    {
        var refusal = WhyRefused(certificate);
        if (refusal is null) return true;
        Logger.LogWarning("Refused a cluster peer's TLS certificate ({Subject}, SHA-1 {Thumbprint}): {Reason}", certificate.Subject, certificate.Thumbprint, refusal);
        return false;
    }

    private string? WhyRefused(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
            return $"outside its validity period ({certificate.NotBefore:u} to {certificate.NotAfter:u})";

        if (_allowedThumbprints.Count > 0
            && !_allowedThumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA1))
            && !_allowedThumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256)))
            return $"its thumbprint is not in {ClusterTlsSettings.SectionName}:AllowedThumbprints";

        if (_trustedCas.Count > 0)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_trustedCas);
            // No CRL or OCSP: a private cluster CA publishes none. Revoke by replacing the CA or by pinning thumbprints.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            // Never fetch issuers named in a certificate a stranger sent: the chain ends at our CA file or fails.
            chain.ChainPolicy.DisableCertificateDownloads = true;
            if (!chain.Build(certificate))
            {
                var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                return $"it does not chain to {ClusterTlsSettings.SectionName}:CaCertificatePath ({status})";
            }
        }
        return null;
    }

    private static X509Certificate2 LoadCertificate(ClusterTlsSettings settings, string setting)
    {
        var path = RequireFile(settings.CertificatePath!, setting);
        var password = string.IsNullOrEmpty(settings.Password) ? null : settings.Password;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (!IsPem(bytes)) return X509CertificateLoader.LoadPkcs12(bytes, password);

            var keyPath = string.IsNullOrWhiteSpace(settings.KeyPath) ? null : RequireFile(settings.KeyPath, $"{ClusterTlsSettings.SectionName}:KeyPath");
            return password is null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"{setting} '{path}' could not be loaded with its private key: {e.Message} " +
                $"(a PFX needs its {ClusterTlsSettings.SectionName}:Password; a PEM certificate needs its key in the same file or in {ClusterTlsSettings.SectionName}:KeyPath).", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{setting} '{path}': {e.Message}", e);
        }
    }

    private static void RequireUsable(X509Certificate2 certificate, bool acceptsConnections, string what)
    {
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{what} has no private key.");
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
            throw new InvalidOperationException($"{what} is not valid now (valid {certificate.NotBefore:u} to {certificate.NotAfter:u}): peers would refuse it.");

        // No Extended Key Usage extension = any usage; with one, it must allow what this process does with it.
        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku)
        {
            var usages = eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToHashSet();
            if (!usages.Contains(ClientAuthenticationOid) || (acceptsConnections && !usages.Contains(ServerAuthenticationOid)))
            {
                throw new InvalidOperationException(
                    $"{what}: its Extended Key Usage must include TLS client authentication{(acceptsConnections ? " and TLS server authentication (a silo both connects and accepts)" : "")}.");
            }
        }
    }

    private static string RequireFile(string path, string setting)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new InvalidOperationException($"{setting}: file '{full}' not found.");
    }

    private static bool IsPem(byte[] bytes) => Encoding.ASCII.GetString(bytes).Contains("-----BEGIN ", StringComparison.Ordinal);

    private static string NormalizeThumbprint(string thumbprint) =>
        new(thumbprint.Where(c => c is not (' ' or ':' or '-')).Select(char.ToUpperInvariant).ToArray());
}
