using System.Net;
using Microsoft.AspNetCore.Hosting;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Upgrades;

namespace OrleansIm.Gateway;

/// <summary>Where a process that serves clients listens: one rule for the standalone node, cluster silos with a gateway and gateway-only nodes.</summary>
public static class GatewayWebHostExtensions
{
    /// <summary>
    /// Binds Kestrel to Gateway:Host and Gateway:Port — but to 127.0.0.1 while no Gateway:AppKey is configured, because
    /// then the seed's example key (printed in the README) opens the whole server API. Returns the address bound.
    /// </summary>
    public static IPAddress ListenForClients(this IWebHostBuilder webHost, GatewayOptions gateway)
    {
        var host = GatewaySecrets.UsesExampleAppKey(gateway) || string.IsNullOrWhiteSpace(gateway.Host)
            ? IPAddress.Loopback
            : IPAddress.Parse(gateway.Host);
        webHost.ConfigureKestrel(kestrel => kestrel.Listen(host, gateway.Port, listen =>
        {
            if (gateway.DirectUpgrades) listen.UseDirectSocketUpgrades();
        }));
        return host;
    }
}
