namespace OrleansIm.Gateway.Stomp;

/// <summary>Where a session's outgoing frames go: the connection's write queue (or a list in tests).</summary>
public interface IStompOutput
{
    /// <summary>Queues a frame; false if the connection is closing or could not keep up.</summary>
    bool Send(StompFrame frame);

    /// <summary>Sends <paramref name="finalFrame"/> (if any) after what is queued, then closes. Idempotent.</summary>
    void Close(int code, string reason, StompFrame? finalFrame = null);
}
