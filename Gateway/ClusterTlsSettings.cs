namespace OrleansIm.Gateway;

/// <summary>
/// Mutual TLS for cluster traffic (configuration section <c>Cluster:Tls</c>): silo to silo, and gateway-only
/// processes to the silos' Orleans gateway ports. Every process presents its certificate and accepts a peer only if
/// the peer's certificate chains to <see cref="CaCertificatePath"/> and/or is listed in
/// <see cref="AllowedThumbprints"/>. Cluster processes refuse to start without it unless <see cref="Enabled"/> is
/// explicitly false; a standalone node has no cluster traffic and ignores the section. Loaded by
/// <see cref="ClusterTlsCredentials.Load"/>.
/// </summary>
public sealed class ClusterTlsSettings
{
    public const string SectionName = ClusterSettings.SectionName + ":Tls";

    /// <summary>
    /// Null (default) = on, and a cluster process without a certificate refuses to start. False = plain TCP, for a
    /// development machine or a network that is private end to end; the process logs a warning.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>This process's certificate: PKCS#12 (.pfx/.p12, with <see cref="Password"/> if it has one) or PEM (with <see cref="KeyPath"/>, or the key in the same file).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM only: the private key file (PKCS#8, or PKCS#1/SEC1). Empty = the key is in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, or the password of an encrypted PEM key. Empty = none.</summary>
    public string? Password { get; set; }

    /// <summary>PEM (or DER) file with the CA certificate(s) peers' certificates must chain to. Only these are trusted, not the system's store.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// Peer certificates accepted by thumbprint (SHA-1 or SHA-256 hex; case, spaces and colons ignored). With
    /// <see cref="CaCertificatePath"/> a peer must pass both checks; alone, it pins exact (e.g. self-signed) certificates.
    /// </summary>
    public string[] AllowedThumbprints { get; set; } = [];

    /// <summary>A TLS handshake not finished in this time fails the connection (Orleans' default).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
