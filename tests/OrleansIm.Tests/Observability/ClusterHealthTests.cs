using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrleansIm.Grains.Storage;
using OrleansIm.Gateway;
using OrleansIm.Silo;
using OrleansIm.Tests.Cluster;
using Xunit;

namespace OrleansIm.Tests.Observability;

/// <summary>
/// Readiness of cluster processes over real HTTP, all in this process on loopback with a cluster id of its own
/// (Redis membership, PostgreSQL state): a gateway-only process is live but not ready until a silo is up; a
/// silo without a gateway serves health and metrics on Observability:Port, live while it starts and ready once Active
/// with PostgreSQL and Redis answering.
/// </summary>
public sealed class ClusterHealthTests
{
    private const string AppKey = "cluster-health-key";

    [Fact]
    public async Task A_gateway_is_not_ready_before_a_silo_is_up_and_ready_after_and_the_silo_reports_Active_PostgreSQL_and_Redis()
    {
        var clusterId = "health-" + Guid.NewGuid().ToString("N")[..8];
        using var tls = new ClusterTlsArguments("cluster-health"); // cluster traffic with the production default: mutual TLS
        string[] common = [.. ClusterArguments.Common(clusterId), tls.Trust];
        var gatewayPort = FreePort();
        var gateway = GatewayNode.Build([.. common, "--Gateway:Host=127.0.0.1", $"--Gateway:Port={gatewayPort}",
            $"--Gateway:AppKey={AppKey}", $"--Gateway:JwtSecret={new string('s', 40)}",
            .. tls.Gateway]);
        var gatewayStart = gateway.StartAsync();
        IHost? silo = null;
        using var gatewayHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            // No silo yet: the gateway answers its probes — live, not ready — while its Orleans client keeps trying.
            await Eventually.True(async () => await StatusAsync(gatewayHttp, "/health/live") == HttpStatusCode.OK,
                timeout: TimeSpan.FromSeconds(30), because: "the gateway answers its liveness probe while waiting for the cluster");
            var (notReady, body) = await GetAsync(gatewayHttp, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady);
            Assert.Equal("not connected to the cluster", body.GetProperty("checks").GetProperty("orleans-client").GetProperty("description").GetString());
            Assert.False(gatewayStart.IsCompleted);
            // A client that comes too early is told to retry, not handed an internal error.
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
            {
                Content = new StringContent("{\"id\":\"too-early\",\"nickname\":\"E\"}", Encoding.UTF8, "application/json"),
                Headers = { { "X-App-Key", AppKey } },
            })
            {
                using var early = await gatewayHttp.SendAsync(request);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
                Assert.Equal(5030, JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());
            }

            // A silo that cannot finish starting (another silo holds the schema lock) is live but not ready.
            var observabilityPort = FreePort();
            using var siloHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{observabilityPort}"), Timeout = TimeSpan.FromSeconds(10) };
            await using var schemaLock = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
            await schemaLock.OpenAsync();
            await ExecuteAsync(schemaLock, $"SELECT pg_advisory_lock({PostgresDatabase.SchemaLockKey})");
            silo = ClusterSiloNode.Build([.. common, "--OrleansIm:Mode=silo",
                $"--ConnectionStrings:Postgres={PostgresTestDatabase.ConnectionString}",
                $"--Cluster:SiloPort={FreePort()}", $"--Cluster:GatewayPort={FreePort()}",
                "--Cluster:AdvertisedHost=127.0.0.1", "--Cluster:ListenAddress=127.0.0.1",
                "--Observability:Host=127.0.0.1", $"--Observability:Port={observabilityPort}",
                .. tls.Silo]);
            var siloStart = silo.StartAsync();
            try
            {
                await Eventually.True(async () => await StatusAsync(siloHttp, "/health/live") == HttpStatusCode.OK,
                    timeout: TimeSpan.FromSeconds(30), because: "the silo answers its liveness probe while it starts");
                var (siloNotReady, starting) = await GetAsync(siloHttp, "/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, siloNotReady);
                Assert.Equal("Unhealthy", starting.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
                Assert.Equal("Healthy", starting.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
                Assert.False(siloStart.IsCompleted);
            }
            finally
            {
                await ExecuteAsync(schemaLock, $"SELECT pg_advisory_unlock({PostgresDatabase.SchemaLockKey})");
            }
            await siloStart.WaitAsync(TimeSpan.FromSeconds(60));
            await gatewayStart.WaitAsync(TimeSpan.FromSeconds(60));

            var (siloReady, siloBody) = await GetAsync(siloHttp, "/health/ready");
            Assert.Equal(HttpStatusCode.OK, siloReady);
            var checks = siloBody.GetProperty("checks");
            Assert.Equal("silo is Active", checks.GetProperty("silo").GetProperty("description").GetString());
            Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
            Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(siloHttp, "/health/live"));
            var siloMetrics = await PrometheusScrape.GetAsync(siloHttp);
            Assert.Contains("orleans_catalog_activations", siloMetrics.Names);

            await Eventually.True(async () => await StatusAsync(gatewayHttp, "/health/ready") == HttpStatusCode.OK,
                timeout: TimeSpan.FromSeconds(30), because: "the gateway is ready once connected to the silo");
            var (_, ready) = await GetAsync(gatewayHttp, "/health/ready");
            Assert.StartsWith("connected to 1 silo", ready.GetProperty("checks").GetProperty("orleans-client").GetProperty("description").GetString());
        }
        finally
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            if (silo is not null)
            {
                await silo.StopAsync();
                silo.Dispose();
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0; // not listening yet
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
