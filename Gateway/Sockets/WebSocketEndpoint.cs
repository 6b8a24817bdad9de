using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// GET /ws. Everything that can refuse a client happens before the upgrade so the client sees a real HTTP status:
/// 401 bad/expired token, 403 unknown device type, 403 unknown or banned user (seed 000). Too many upgrades from one
/// address are refused with 429 before this runs (<see cref="HttpRateLimiting"/>).
/// </summary>
public sealed class WebSocketEndpoint(
    JwtTokenService tokens,
    IGrainFactory grains,
    ConnectionManager connections,
    FrameDispatcher dispatcher,
    GatewayMetrics metrics,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    IOptions<RateLimitOptions> rateLimits,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<WebSocketEndpoint>();

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "This endpoint only accepts WebSocket upgrades.");
            return;
        }

        var claims = tokens.Validate(SocketHandshake.Token(context.Request));
        if (claims is null)
        {
            await Refuse(context, StatusCodes.Status401Unauthorized, "token is missing, invalid or expired.");
            return;
        }

        var deviceType = SocketHandshake.DeviceType(context.Request);
        if (!DeviceTypes.IsValid(deviceType))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "deviceType must be one of: " + string.Join(", ", DeviceTypes.All) + ".");
            return;
        }

        var user = grains.GetGrain<IUserGrain>(claims.UserId);
        var profile = await user.GetProfile();
        if (profile is null || profile.UserStatus == UserStatuses.Banned)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, profile is null ? "Unknown user." : "User is banned.");
            return;
        }

        var connectionId = Guid.NewGuid().ToString("N");
        // Every log line of this connection (its loops run inside the scope) names it; the token is never logged.
        using var logScope = _logger.BeginScope("Connection {ConnId} of {UserId}", connectionId, claims.UserId);
        var connection = new ClientConnection(connectionId, claims.UserId, deviceType!, options.Value, loggerFactory.CreateLogger<ClientConnection>(), rateLimits.Value);
        var observer = new ConnectionObserver(connection, options.Value.PushGapTimeout, metrics);
        connection.Observer = observer;
        var reference = grains.CreateObjectReference<IClientObserver>(observer);
        var session = new ClientSession(claims.UserId, deviceType!, connectionId, reference, gateway.Name);
        var registered = false;
        try
        {
            try
            {
                // Registering before the upgrade kicks the previous connection of this device type and still lets a ban surface as 403.
                await user.Connect(session.DeviceSession);
                registered = true;
            }
            catch (ImException e) when (e.Code is ImErrorCodes.Banned or ImErrorCodes.UnknownUser)
            {
                await Refuse(context, StatusCodes.Status403Forbidden, e.Message);
                return;
            }

            connections.Add(connection);
            using var open = metrics.ConnectionOpened(GatewayMetrics.Json, deviceType!);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            _logger.LogInformation("User {UserId} connected on {DeviceType} ({ConnectionId})", claims.UserId, deviceType, connectionId);
            await connection.RunAsync(socket, session, dispatcher, grains);
            _logger.LogInformation("User {UserId} disconnected from {DeviceType} ({ConnectionId})", claims.UserId, deviceType, connectionId);
        }
        finally
        {
            connections.Remove(connection);
            await CleanupAsync(user, session, registered);
            ObserverRetirement.Retire(grains, reference, observer);
        }
    }

    /// <summary>Best effort: a failed cleanup only delays expiry of the grain-side registrations.</summary>
    private async Task CleanupAsync(IUserGrain user, ClientSession session, bool registered)
    {
        try
        {
            if (registered) await user.Disconnect(session.DeviceType, session.ConnectionId);
            await Task.WhenAll(session.WatchedUsers.Select(id => grains.GetGrain<IUserGrain>(id).UnwatchPresence(session.Observer)));
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Cleanup of connection {ConnectionId} failed", session.ConnectionId);
        }
    }

    private static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { code = status, msg = message, data = (object?)null });
    }
}
