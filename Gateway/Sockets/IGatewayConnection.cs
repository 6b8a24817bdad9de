using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Sockets;

/// <summary>A live client connection of either dialect (/ws JSON or STOMP), as the ConnectionManager sees it.</summary>
public interface IGatewayConnection
{
    string ConnectionId { get; }

    /// <summary>The authenticated user (a connection is in the ConnectionManager only once it has one).</summary>
    string UserId { get; }

    string DeviceType { get; }

    /// <summary><c>json</c> (/ws) or <c>stomp</c> (/imserver/ws), as the metrics tag it.</summary>
    string Dialect { get; }

    /// <summary>The local object that turns grain callbacks into this connection's frames (admin broadcasts use it directly).</summary>
    IClientObserver? Observer { get; }

    /// <summary>The socket's send queue and its byte accounting.</summary>
    OutgoingFrames Outgoing { get; }

    /// <summary>Re-register with the user grain at the next maintenance tick (membership changed).</summary>
    void RequestRefresh();

    /// <summary>Closes the connection with a WebSocket close code. Idempotent.</summary>
    void Close(int code, string reason);

    /// <summary>
    /// Graceful drain of this connection: handles no new frame, waits (until <paramref name="deadline"/>) for the
    /// frames being handled to be answered, then sends the dialect's drain notice (asking the client to reconnect
    /// after <paramref name="reconnectAfterMs"/>) and closes with <see cref="WebSocketCloseCodes.Draining"/>.
    /// Completes when the close is queued. Idempotent.
    /// </summary>
    Task DrainAsync(int reconnectAfterMs, CancellationToken deadline);
}
