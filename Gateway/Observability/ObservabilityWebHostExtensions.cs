using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace OrleansIm.Gateway.Observability;

public static class ObservabilityWebHostExtensions
{
    /// <summary>Adds the Observability:Host/Port listener when a port is configured; returns whether it did.</summary>
    public static bool ListenForObservability(this IWebHostBuilder webHost, ObservabilityOptions options)
    {
        if (options.Port is not (> 0 and var port)) return false;
        var host = IPAddress.Parse(options.Host);
        webHost.ConfigureKestrel(kestrel => kestrel.Listen(host, port));
        return true;
    }
}
