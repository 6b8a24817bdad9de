namespace OrleansIm.Runtime.Transport;

/// <summary>Limits of the node-to-node TCP transport.</summary>
public sealed class TransportOptions
{
    /// <summary>Bound on opening a connection including the hello exchange; also how long an inbound peer has to say hello.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest frame (codec bytes, without the 4-byte length) sent or accepted; a larger inbound frame closes the connection.</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Messages waiting to be written to one peer; a send that finds the queue full fails instead of waiting.</summary>
    public int SendQueueCapacity { get; set; } = 10_000;

    /// <summary>After a failed connect, sends to that endpoint fail at once for this long, so a dead peer is not hammered.</summary>
    public TimeSpan ReconnectBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
