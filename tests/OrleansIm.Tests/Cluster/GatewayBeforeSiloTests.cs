using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansIm.Gateway;
using OrleansIm.Silo;
using Xunit;

namespace OrleansIm.Tests.Cluster;

/// <summary>
/// A gateway-only process (an Orleans client on Redis clustering) started before any silo waits for the cluster
/// instead of crashing, and serves once a silo (Redis membership, PostgreSQL state) joins — all in this process,
/// on loopback, with a cluster id of its own, and mutual TLS between them as in production.
/// </summary>
public sealed class GatewayBeforeSiloTests
{
    private const string AppKey = "gateway-before-silo-key";

    [Fact]
    public async Task A_gateway_started_before_any_silo_waits_and_then_serves()
    {
        var clusterId = "gw-first-" + Guid.NewGuid().ToString("N")[..8];
        using var tls = new ClusterTlsArguments("gateway-before-silo"); // cluster traffic with the production default: mutual TLS
        string[] common = [.. ClusterArguments.Common(clusterId), tls.Trust];

        var gateway = GatewayNode.Build([.. common, "--Gateway:Host=127.0.0.1", "--Gateway:Port=0",
            $"--Gateway:AppKey={AppKey}", $"--Gateway:JwtSecret={new string('s', 40)}",
            .. tls.Gateway]);
        var gatewayStart = gateway.StartAsync();
        IHost? silo = null;
        try
        {
            // No silo yet: the gateway keeps trying to reach the cluster and has not failed.
            await Task.WhenAny(gatewayStart, Task.Delay(TimeSpan.FromSeconds(3)));
            Assert.False(gatewayStart.IsFaulted, gatewayStart.Exception?.ToString());

            silo = ClusterSiloNode.Build([.. common, "--OrleansIm:Mode=silo",
                $"--ConnectionStrings:Postgres={PostgresTestDatabase.ConnectionString}",
                $"--Cluster:SiloPort={FreePort()}", $"--Cluster:GatewayPort={FreePort()}",
                "--Cluster:AdvertisedHost=127.0.0.1", "--Cluster:ListenAddress=127.0.0.1",
                .. tls.Silo]);
            await silo.StartAsync();
            await gatewayStart.WaitAsync(TimeSpan.FromSeconds(60));

            using var http = new HttpClient { BaseAddress = HttpAddress(gateway) };
            await Eventually.True(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
                {
                    Content = new StringContent("{\"id\":\"early-bird\",\"nickname\":\"Early\"}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-App-Key", AppKey);
                using var response = await http.SendAsync(request);
                return response.StatusCode == HttpStatusCode.OK;
            }, timeout: TimeSpan.FromSeconds(30), because: "the gateway serves once a silo joined");
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

    private static Uri HttpAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
