namespace OrleansIm.Tests.Cluster;

/// <summary>
/// Mutual TLS for a test's cluster processes, the cluster default: a CA of its own and a silo and a gateway certificate
/// written as PEM files to a temporary folder (deleted with it), handed out as the command-line settings the processes take.
/// </summary>
public sealed class ClusterTlsArguments : IDisposable
{
    private readonly TestCertificateAuthority _ca;
    private readonly string _directory;

    public ClusterTlsArguments(string name)
    {
        var directory = _directory = Directory.CreateTempSubdirectory($"orleansim-{name}-").FullName;
        _ca = new TestCertificateAuthority($"{name} CA");
        Trust = $"--Cluster:Tls:CaCertificatePath={_ca.WriteCaPem(directory, "ca.crt")}";
        using var silo = _ca.Issue("silo");
        using var gateway = _ca.Issue("gateway", serverAuthentication: false);
        var (siloCrt, siloKey) = TestCertificateAuthority.WritePem(silo, directory, "silo");
        var (gatewayCrt, gatewayKey) = TestCertificateAuthority.WritePem(gateway, directory, "gateway");
        Silo = [$"--Cluster:Tls:CertificatePath={siloCrt}", $"--Cluster:Tls:KeyPath={siloKey}"];
        Gateway = [$"--Cluster:Tls:CertificatePath={gatewayCrt}", $"--Cluster:Tls:KeyPath={gatewayKey}"];
    }

    /// <summary>The trust rule every process of the cluster shares.</summary>
    public string Trust { get; }

    public string[] Silo { get; }

    public string[] Gateway { get; }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
