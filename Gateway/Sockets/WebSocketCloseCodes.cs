using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Sockets;

/// <summary>Close codes the server uses (documented in docs/protocol.md). 4xxx are ours, mirroring the HTTP-ish business codes.</summary>
public static class WebSocketCloseCodes
{
    public const int Normal = 1000;
    /// <summary>The node is shutting down.</summary>
    public const int GoingAway = 1001;
    /// <summary>A binary frame was received; the protocol is JSON text only.</summary>
    public const int UnsupportedData = 1003;
    /// <summary>A text frame was not valid UTF-8.</summary>
    public const int InvalidPayload = 1007;
    /// <summary>
    /// The client does not read its frames: its outgoing queue reached <c>Gateway:OutgoingQueueCapacity</c> frames or
    /// <c>Gateway:OutgoingQueueBytes</c> bytes. Both dialects; the queued frames are dropped.
    /// </summary>
    public const int NotReading = 1008;
    /// <summary>Kicked because the user's tokens were revoked (or refreshed, seen on a re-registration): get a new token.</summary>
    public const int TokenRevoked = 4401;
    /// <summary>Kicked because the user was banned.</summary>
    public const int Banned = 4403;
    /// <summary>No frame from the client within the idle timeout.</summary>
    public const int IdleTimeout = 4408;
    /// <summary>Went on sending far past the frame rate limit after being told to wait (Gateway:RateLimits).</summary>
    public const int TooManyFrames = 4429;
    /// <summary>Kicked because another connection took its place under the device policy (ImGrains:DevicePolicy).</summary>
    public const int Replaced = 4409;
    /// <summary>A message push to this connection was lost (a silo failed): reconnect and catch up with msg.sync.</summary>
    public const int Resync = 4410;
    /// <summary>Kicked by an administrator (admin API); the client may connect again.</summary>
    public const int KickedByAdmin = 4411;

    /// <summary>
    /// This gateway is draining (shutting down gracefully): every frame handled before the close was answered;
    /// reconnect (to another gateway, through the load balancer) after the notice's delay and catch up with msg.sync.
    /// Both dialects.
    /// </summary>
    public const int Draining = 4503;
}
