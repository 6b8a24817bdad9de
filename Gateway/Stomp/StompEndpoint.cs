using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Gateway.Upgrades;
using Orleans;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// GET /imserver/ws?userId=… (seed 001): STOMP over WebSocket. Unlike /ws, authentication happens after the
/// upgrade, in the CONNECT frame's <c>ide</c> header, so refusals are ERROR frames rather than HTTP statuses — except
/// too many upgrades from one address, refused with 429 before this runs (<see cref="HttpRateLimiting"/>).
/// </summary>
public sealed class StompEndpoint(
    ClientAuthenticator authenticator,
    IGrainFactory grains,
    ConnectionManager connections,
    StompApplication application,
    IOptions<GatewayOptions> options,
    IOptions<RateLimitOptions> rateLimits,
    GatewayMetrics metrics,
    GatewayIdentity gateway,
    ConnectionTicker ticker,
    ILoggerFactory loggerFactory)
{
    public const string Path = "/imserver/ws";

    private readonly ILogger _logger = loggerFactory.CreateLogger<StompEndpoint>();

    private readonly StompConnectionContext _context = new(authenticator, grains, connections, application, options.Value, rateLimits.Value,
        loggerFactory.CreateLogger<StompConnection>(), metrics, gateway, ticker); // one logger for every connection

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { code = 400, msg = "This endpoint only accepts WebSocket upgrades (STOMP).", data = (object?)null });
            return;
        }

        var subprotocol = StompNegotiation.ChooseSubprotocol(context.WebSockets.WebSocketRequestedProtocols);
        var userId = Query(context, "userId");
        var deviceType = Query(context, "deviceType");
        var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
        // The socket's run needs nothing more of the request, which need not outlive the handshake.
        await SocketUpgrades.RunAsync(context, RunAsync(socket, userId, deviceType));
    }

    private async Task RunAsync(WebSocket socket, string? userId, string? deviceType)
    {
        using (socket)
        {
            var connection = new StompConnection(_context);
            // Every log line of this connection names it; the token (in CONNECT) is never logged.
            using var logScope = _logger.BeginScope("STOMP connection {ConnId}", connection.ConnectionId);
            await connection.RunAsync(socket, userId, deviceType);
        }
    }

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
}
