using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansIm.Gateway;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Silo;
using Xunit;
using Xunit.Abstractions;

namespace OrleansIm.Tests.Cluster;

/// <summary>
/// Cluster traffic with Cluster:Tls on, in this process on loopback (Redis membership, PostgreSQL state, a cluster id
/// of its own): silos and gateways holding certificates of the cluster's CA work together; a silo without TLS or
/// with a certificate of another CA cannot join, and an Orleans client without the right certificate (or trusting
/// another CA) cannot reach a grain. Certificates are made in memory (<see cref="TestCertificateAuthority"/>).
/// </summary>
public sealed class ClusterTlsTests : IClassFixture<ClusterTlsTests.TlsCluster>
{
    private readonly TlsCluster _cluster;
    private readonly ITestOutputHelper _output;

    public ClusterTlsTests(TlsCluster cluster, ITestOutputHelper output) => (_cluster, _output) = (cluster, output);

    [Fact]
    public async Task A_second_silo_and_a_gateway_with_the_clusters_certificates_join_and_serve()
    {
        // Silo B: PKCS#12 with a password (silo A uses PEM). Its start validates connectivity to silo A over TLS.
        var siloB = ClusterSiloNode.Build(_cluster.SiloArgs("silo-b", out _, [
            $"--Cluster:Tls:CertificatePath={_cluster.SiloBPfx}", $"--Cluster:Tls:Password={TlsCluster.PfxPassword}",
            $"--Cluster:Tls:CaCertificatePath={_cluster.CaPath}"]));
        var gateway = GatewayNode.Build([.. _cluster.Common, "--Gateway:Host=127.0.0.1", "--Gateway:Port=0",
            $"--Gateway:AppKey={TlsCluster.AppKey}", $"--Gateway:JwtSecret={new string('s', 40)}",
            $"--Cluster:Tls:CertificatePath={_cluster.Gateway.Certificate}", $"--Cluster:Tls:KeyPath={_cluster.Gateway.Key}",
            $"--Cluster:Tls:CaCertificatePath={_cluster.CaPath}"]);
        try
        {
            await siloB.StartAsync();
            var membership = _cluster.SiloA.Services.GetRequiredService<IClusterMembershipService>();
            await Eventually.True(() => membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2,
                timeout: TimeSpan.FromSeconds(30), because: "silo A sees silo B Active");

            await gateway.StartAsync();
            using var http = new HttpClient { BaseAddress = HttpAddress(gateway) };
            // Logins of several users, whose grains Orleans places at random on either silo.
            for (var i = 0; i < 8; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
                {
                    Content = new StringContent($"{{\"id\":\"tls-user-{i}\",\"nickname\":\"T{i}\"}}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-App-Key", TlsCluster.AppKey);
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        finally
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            await siloB.StopAsync();
            siloB.Dispose();
        }
    }

    [Theory]
    [InlineData("without TLS")]
    [InlineData("with a certificate of another CA")]
    public async Task A_silo_without_the_clusters_certificate_cannot_join(string intruder)
    {
        string[] tls = intruder == "without TLS"
            ? ["--Cluster:Tls:Enabled=false"]
            // It trusts the cluster's CA, so only the cluster refusing its certificate keeps it out.
            : [$"--Cluster:Tls:CertificatePath={_cluster.Intruder.Certificate}", $"--Cluster:Tls:KeyPath={_cluster.Intruder.Key}",
               $"--Cluster:Tls:CaCertificatePath={_cluster.CaPath}"];
        // Its own process, as in production: a silo that fails to join (or is declared dead while joining) ends its
        // process, which would take this test host with it. It gives up after 5 s instead of Orleans' 5 min.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansIm.Silo.dll"));
        var args = _cluster.SiloArgs("intruder", out var siloPort, [.. tls, "--Membership:MaxJoinAttemptTime=00:00:05"]);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit(); // flushes the redirected output
        string text;
        lock (output) text = output.ToString();
        _output.WriteLine(text);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Newly joining silos validate connectivity with all active silos", text);
        var members = _cluster.SiloA.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values;
        Assert.DoesNotContain(members, m => m.SiloAddress.Endpoint.Port == siloPort && m.Status == SiloStatus.Active);
        // The cluster is unharmed.
        Assert.Equal("tls-check", (await _cluster.CallAGrainAsync("tls-check")).Nickname);
    }

    [Theory]
    [InlineData("with the cluster's certificate", true)]
    [InlineData("without TLS", false)]
    [InlineData("with TLS but no certificate", false)]
    [InlineData("with a certificate of another CA", false)]
    [InlineData("trusting another CA", false)]
    public async Task Only_a_client_with_the_clusters_certificate_can_call_a_grain(string client, bool succeeds)
    {
        Action<IClientBuilder> tls = client switch
        {
            "with the cluster's certificate" => c => c.UseTls(_cluster.Credentials(_cluster.Gateway, _cluster.CaPath).Configure),
            "without TLS" => _ => { },
            "with TLS but no certificate" => c => c.UseTls(o =>
            {
                o.ClientCertificateMode = RemoteCertificateMode.AllowCertificate;
                o.RemoteCertificateValidation = (_, _, _) => true; // it would even accept any silo: only its own lack of a certificate matters
            }),
            "with a certificate of another CA" => c => c.UseTls(_cluster.Credentials(_cluster.Intruder, _cluster.CaPath).Configure),
            "trusting another CA" => c => c.UseTls(_cluster.Credentials(_cluster.Gateway, _cluster.ForeignCaPath).Configure),
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };
        using var host = _cluster.Client(tls);
        if (succeeds)
        {
            await host.StartAsync();
            var user = host.Services.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>("tls-client");
            await user.Login(new LoginRequest("Client", null, null, null));
            Assert.Equal("Client", (await user.GetProfile())!.Nickname);
            await host.StopAsync();
            return;
        }

        // No retries (see Client): the first refused connection to the silo's Orleans gateway port fails the start.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        _output.WriteLine(e.ToString());
        Assert.IsType<ConnectionFailedException>(e); // refused on the connection, not a configuration mistake of the test
        try { await host.StopAsync(); } catch (Exception stop) { _output.WriteLine("stop after the failed start: " + stop.Message); }
    }

    private static Uri HttpAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The certificates of one test class and silo A, a TLS cluster silo on PEM files, running for all of its tests.</summary>
    public sealed class TlsCluster : IAsyncLifetime
    {
        public const string AppKey = "cluster-tls-test-key";
        public const string PfxPassword = "pfx password";

        private readonly string _dir = Directory.CreateTempSubdirectory("orleansim-cluster-tls-").FullName;
        private readonly string _clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];

        public TlsCluster()
        {
            using var ca = new TestCertificateAuthority("OrleansIm cluster CA");
            using var foreignCa = new TestCertificateAuthority("Another CA");
            CaPath = ca.WriteCaPem(_dir, "ca.crt");
            ForeignCaPath = foreignCa.WriteCaPem(_dir, "foreign-ca.crt");
            using (var silo = ca.Issue("silo-a")) SiloAPem = TestCertificateAuthority.WritePem(silo, _dir, "silo-a");
            using (var silo = ca.Issue("silo-b")) SiloBPfx = TestCertificateAuthority.WritePfx(silo, _dir, "silo-b", PfxPassword);
            using (var gateway = ca.Issue("gateway", serverAuthentication: false)) Gateway = TestCertificateAuthority.WritePem(gateway, _dir, "gateway");
            using (var intruder = foreignCa.Issue("intruder")) Intruder = TestCertificateAuthority.WritePem(intruder, _dir, "intruder");
        }

        public string CaPath { get; }
        public string ForeignCaPath { get; }
        private (string Certificate, string Key) SiloAPem { get; }
        public string SiloBPfx { get; }
        public (string Certificate, string Key) Gateway { get; }
        public (string Certificate, string Key) Intruder { get; }
        public IHost SiloA { get; private set; } = null!;

        public string[] Common => ClusterArguments.Common(_clusterId);

        public string[] SiloArgs(string name, out int siloPort, string[] tls)
        {
            siloPort = FreePort();
            return [.. Common, "--OrleansIm:Mode=silo", $"--Silo:SiloName={name}",
                $"--ConnectionStrings:Postgres={PostgresTestDatabase.ConnectionString}",
                $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={FreePort()}",
                "--Cluster:AdvertisedHost=127.0.0.1", "--Cluster:ListenAddress=127.0.0.1", .. tls];
        }

        public ClusterTlsCredentials Credentials((string Certificate, string Key) pem, string caPath) =>
            ClusterTlsCredentials.Load(new ClusterTlsSettings { CertificatePath = pem.Certificate, KeyPath = pem.Key, CaCertificatePath = caPath }, "test client", acceptsConnections: false)!;

        /// <summary>
        /// A bare Orleans client of this cluster with <paramref name="tls"/> applied. It does not retry a failed first
        /// connection (Orleans' default filter retries for 3 minutes; the product's gateway retries forever).
        /// </summary>
        public IHost Client(Action<IClientBuilder> tls)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.UseOrleansClient(client =>
            {
                tls(client);
                client.UseRedisClustering(RedisTestServer.ConnectionString)
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_clusterId, _clusterId))
                    .UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            });
            return builder.Build();
        }

        /// <summary>Logs a user in through a client holding the cluster's certificate; returns the profile.</summary>
        public async Task<UserProfile> CallAGrainAsync(string userId)
        {
            using var host = Client(c => c.UseTls(Credentials(Gateway, CaPath).Configure));
            await host.StartAsync();
            var user = host.Services.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>(userId);
            await user.Login(new LoginRequest(userId, null, null, null));
            var profile = (await user.GetProfile())!;
            await host.StopAsync();
            return profile;
        }

        public async Task InitializeAsync()
        {
            SiloA = ClusterSiloNode.Build(SiloArgs("silo-a", out _, [
                $"--Cluster:Tls:CertificatePath={SiloAPem.Certificate}", $"--Cluster:Tls:KeyPath={SiloAPem.Key}",
                $"--Cluster:Tls:CaCertificatePath={CaPath}"]));
            await SiloA.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await SiloA.StopAsync();
            SiloA.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
