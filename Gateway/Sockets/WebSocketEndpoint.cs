using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Chatrooms;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Upgrades;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// GET /ws. Everything that can refuse a client happens before the upgrade so the client sees a real HTTP status:
/// 401 bad/expired/refreshed/revoked token, 403 unknown device type, 403 unknown or banned user (seed 000); for a
/// callback login (authType 2) 401 with body code 302 when the app server refuses, 503 with code 5030 when it does not
/// answer. Too many upgrades from one address are refused with 429 before this runs (<see cref="HttpRateLimiting"/>).
/// </summary>
public sealed class WebSocketEndpoint(
    ClientAuthenticator authenticator,
    IGrainFactory grains,
    ConnectionManager connections,
    FrameDispatcher dispatcher,
    GatewayMetrics metrics,
    GatewayIdentity gateway,
    ChatroomRelay chatrooms,
    ConnectionTicker ticker,
    IOptions<GatewayOptions> options,
    IOptions<RateLimitOptions> rateLimits,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<WebSocketEndpoint>();

    // One for every connection: a logger made per connection was one more object per socket.
    private readonly ILogger<ClientConnection> _connectionLogger = loggerFactory.CreateLogger<ClientConnection>();

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "This endpoint only accepts WebSocket upgrades.");
            return;
        }

        var request = context.Request;
        var deviceType = SocketHandshake.DeviceType(request);
        var auth = await authenticator.AuthenticateAsync(
            SocketHandshake.AuthType(request), SocketHandshake.Token(request), SocketHandshake.Account(request), deviceType, context.RequestAborted);
        if (!auth.Succeeded)
        {
            await Refuse(context, auth.Status, auth.Message, auth.Code);
            return;
        }
        var userId = auth.UserId!;

        if (!DeviceTypes.IsValid(deviceType))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "deviceType must be one of: " + string.Join(", ", DeviceTypes.All) + ".");
            return;
        }

        var user = grains.GetGrain<IUserGrain>(userId);
        var profile = await user.GetProfile();
        if (profile is null || profile.UserStatus == UserStatuses.Banned)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, profile is null ? "Unknown user." : "User is banned.");
            return;
        }
        // Connect checks it too (authoritative); refusing here spares creating the connection's observer.
        if (auth.TokenGeneration is { } generation && generation != profile.TokenGeneration)
        {
            await Refuse(context, StatusCodes.Status401Unauthorized, "The token was refreshed or revoked: get a new one.", ImErrorCodes.TokenRevoked);
            return;
        }

        var connectionId = Guid.NewGuid().ToString("N");
        // Every log line of this connection (its loops run inside the scope) names it; the token is never logged.
        using var logScope = _logger.BeginScope("Connection {ConnId} of {UserId}", connectionId, userId);
        var connection = new ClientConnection(connectionId, userId, deviceType!, options.Value, _connectionLogger, rateLimits.Value);
        var observer = new ConnectionObserver(connection, options.Value.PushGapTimeout, metrics);
        connection.Observer = observer;
        var reference = grains.CreateObjectReference<IClientObserver>(observer);
        var session = new ClientSession(userId, deviceType!, connectionId, reference, auth.TokenGeneration, gateway.Name);
        var registered = false;
        WebSocket? socket = null;
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
            catch (ImException e) when (e.Code == ImErrorCodes.TokenRevoked)
            {
                // Seed 000's 401 for a token that no longer works; the body code says why.
                await Refuse(context, StatusCodes.Status401Unauthorized, e.Message, ImErrorCodes.TokenRevoked);
                return;
            }

            connections.Add(connection);
            socket = await context.WebSockets.AcceptWebSocketAsync();
        }
        finally
        {
            if (socket is null) await EndAsync(connection, session, registered, reference, observer);
        }
        // From here the socket's run owns the connection and its cleanup; the request need not outlive the handshake.
        await SocketUpgrades.RunAsync(context, RunAsync(socket, connection, session, reference, observer));
    }

    private async Task RunAsync(WebSocket socket, ClientConnection connection, ClientSession session, IClientObserver reference, ConnectionObserver observer)
    {
        try
        {
            using (socket)
            using (metrics.ConnectionOpened(GatewayMetrics.Json, session.DeviceType))
            {
                _logger.LogInformation("User {UserId} connected on {DeviceType} ({ConnectionId})", session.UserId, session.DeviceType, session.ConnectionId);
                await connection.RunAsync(socket, session, dispatcher, grains, ticker);
                _logger.LogInformation("User {UserId} disconnected from {DeviceType} ({ConnectionId})", session.UserId, session.DeviceType, session.ConnectionId);
            }
        }
        finally
        {
            await EndAsync(connection, session, registered: true, reference, observer);
        }
    }

    private async Task EndAsync(ClientConnection connection, ClientSession session, bool registered, IClientObserver reference, ConnectionObserver observer)
    {
        connections.Remove(connection);
        await chatrooms.LeaveAllAsync(session.ConnectionId);
        await SessionRefresh.CleanupAsync(grains, session, registered, _logger);
        ObserverRetirement.Retire(grains, reference, observer);
    }

    private static Task Refuse(HttpContext context, int status, string message, int? code = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { code = code ?? status, msg = message, data = (object?)null });
    }
}
