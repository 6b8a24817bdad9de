namespace OrleansIm.LoadTest.Metrics;

/// <summary>What a latency sample measures.</summary>
public enum LatencyKind
{
    /// <summary>A request frame (e.g. <c>msg.send</c>) to its reply: for a message, until it is durable.</summary>
    Ack,

    /// <summary>A <c>msg.send</c> to the <c>msg.new</c> push at a recipient (or to its arrival through <c>msg.sync</c>).</summary>
    Delivery,

    /// <summary>Login plus the WebSocket handshake of one socket.</summary>
    Connect,

    /// <summary>A <c>call.request</c> to the caller's <c>call.response</c> push (the callee answered), or a presence change to the watcher's push.</summary>
    Signal,
}
