using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Stomp;

namespace OrleansIm.Gateway.Upgrades;

/// <summary>
/// The socket paths' upgrades, on either of two routes: through Kestrel's HTTP/1 stack (ASP.NET Core's WebSocket
/// middleware), or — <see cref="GatewayOptions.DirectUpgrades"/>, the default — read straight off the connection by
/// <see cref="DirectUpgradeMiddleware"/>, so an open socket keeps no HTTP/1 connection, request or middleware objects
/// (issue 12: ~6 KB of an idle socket's ~21 KB). Both routes run the same gates, rate limiter and endpoints.
/// </summary>
public static class SocketUpgrades
{
    /// <summary>/ws (seed 000) and seed 001's STOMP socket.</summary>
    public static readonly string[] Paths = ["/ws", StompEndpoint.Path];

    /// <summary>
    /// Zero: the server sends no WebSocket keep-alive frames (both routes). Clients must send within
    /// <see cref="GatewayOptions.IdleTimeout"/> anyway (JSON <c>ping</c>, STOMP heart-beats), which keeps NATs open and
    /// lets the idle timeout find a dead client; the server's own frames found nothing more and cost a timer per socket
    /// (~200 B of every idle socket, issue 12) and, at 100,000 sockets, ~3,300 frames/s.
    /// </summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.Zero;

    /// <summary>Reads upgrades to <see cref="Paths"/> on this endpoint's connections before Kestrel's HTTP/1 does.</summary>
    public static ListenOptions UseDirectSocketUpgrades(this ListenOptions listen)
    {
        listen.Use(next =>
        {
            var services = listen.ApplicationServices;
            var middleware = new DirectUpgradeMiddleware(
                next,
                services.GetRequiredService<SocketUpgradePipeline>(),
                UpgradeLimits.From(listen.KestrelServerOptions.Limits),
                services,
                services.GetRequiredService<ILoggerFactory>().CreateLogger<DirectUpgradeMiddleware>());
            return middleware.InvokeAsync;
        });
        return listen;
    }

    /// <summary>
    /// Runs an accepted socket: on the direct route the request completes now and the connection middleware awaits
    /// <paramref name="running"/> (so nothing keeps the request alive); on the HTTP/1 route the request lasts as long as the socket.
    /// </summary>
    public static Task RunAsync(HttpContext context, Task running)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature>() is DirectWebSocketFeature direct)
        {
            direct.HandOver(running);
            return Task.CompletedTask;
        }
        return running;
    }
}
