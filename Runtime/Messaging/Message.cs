namespace OrleansIm.Runtime.Messaging;

/// <summary>
/// The unit that crosses the call boundary: a request, one-way message or response. The body is already
/// serialized, so a message can go to a local activation or over a socket unchanged.
/// </summary>
internal sealed record Message
{
    public long Id { get; init; }
    public MessageDirection Direction { get; init; }
    public GrainId Target { get; init; }

    /// <summary>Full name of the grain/observer interface (requests only).</summary>
    public string InterfaceName { get; init; } = "";

    public int MethodIndex { get; init; }

    /// <summary>Id of the process that sent the request; responses go back there.</summary>
    public string SenderId { get; init; } = "";

    /// <summary>UTC ticks after which nobody waits for the answer any more; expired requests are dropped unprocessed.</summary>
    public long DeadlineTicks { get; init; }

    public ResponseStatus Status { get; init; }

    /// <summary>Hops already taken: a silo that does not own the target forwards the call, and this bounds the chain.</summary>
    public int ForwardCount { get; init; }

    public byte[] Body { get; init; } = [];

    public bool IsExpired(long nowTicks) => DeadlineTicks != 0 && nowTicks > DeadlineTicks;

    /// <summary>
    /// The process that last forwarded this request ("" if none). A silo that cannot reach the caller directly
    /// (e.g. a gateway that has not connected to it yet) returns the response through it.
    /// </summary>
    public string ForwardedBy { get; init; } = "";

    /// <summary>A copy one forwarding hop further along, forwarded by <paramref name="forwarder"/>.</summary>
    public Message Forwarded(string forwarder) => this with { ForwardCount = ForwardCount + 1, ForwardedBy = forwarder };

    /// <summary>The answer to this request: same id, target and sender (the caller), no deadline or hops.</summary>
    public Message CreateResponse(ResponseStatus status, byte[] body) =>
        this with { Direction = MessageDirection.Response, Status = status, Body = body, DeadlineTicks = 0, ForwardCount = 0 };
    // ForwardedBy is kept: it is the way back to a caller this silo has no connection to.

    public override string ToString() => $"{Direction} #{Id} {InterfaceName}[{MethodIndex}] → {Target} from {SenderId}";
}
