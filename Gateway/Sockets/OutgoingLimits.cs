namespace OrleansIm.Gateway.Sockets;

/// <summary>The bounds of one socket's outgoing queue (see <see cref="OutgoingFrames"/>), from <see cref="GatewayOptions"/>.</summary>
/// <param name="MaxFrames">Frames queued or being sent at once.</param>
/// <param name="MaxBytes">Bytes queued or being sent at once.</param>
/// <param name="SendTimeout">Longest one send may make no progress before the socket is aborted.</param>
/// <param name="CloseTimeout">Longest the close frame may take to send.</param>
public sealed record OutgoingLimits(int MaxFrames, long MaxBytes, TimeSpan SendTimeout, TimeSpan CloseTimeout)
{
    public static OutgoingLimits From(GatewayOptions options) =>
        new(options.OutgoingQueueCapacity, options.OutgoingQueueBytes, options.SendTimeout, options.CloseTimeout);
}
