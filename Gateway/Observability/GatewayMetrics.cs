using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansIm.Gateway.Observability;

/// <summary>
/// Meter <c>OrleansIm.Gateway</c>: what one gateway sees of its clients. Instruments are created through the host's
/// <see cref="IMeterFactory"/>; every name, unit and tag is listed in docs/operations.md, so keep the two together.
/// Tag <c>dialect</c> is <see cref="Json"/> (/ws), <see cref="Stomp"/> (/imserver/ws) or <see cref="Rest"/> (/im/... HTTP).
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "OrleansIm.Gateway";

    public const string Json = "json";
    public const string Stomp = "stomp";
    public const string Rest = "rest";

    /// <summary>Up-down counter: open client connections; tags dialect, device_type.</summary>
    public const string Connections = "orleansim.gateway.connections";

    /// <summary>Counter: frames received from clients and handed to the protocol; tag dialect.</summary>
    public const string FramesReceived = "orleansim.gateway.frames.received";

    /// <summary>Counter: frames queued for clients (replies, pushes, heart-beats); tag dialect.</summary>
    public const string FramesSent = "orleansim.gateway.frames.sent";

    /// <summary>Counter: chat messages accepted and acknowledged (stored, or relayed if transient); tag dialect (json, rest).</summary>
    public const string MessagesSent = "orleansim.gateway.messages.sent";

    /// <summary>Counter: chat messages pushed to a client connection of this gateway; tag dialect (json, stomp).</summary>
    public const string MessagesDelivered = "orleansim.gateway.messages.delivered";

    /// <summary>Histogram, seconds: from a send arriving at the gateway to its acknowledgement; tag dialect (json, rest).</summary>
    public const string AckDuration = "orleansim.gateway.ack.duration";

    /// <summary>Histogram, seconds: from the message's server time (assigned when the conversation accepted it) to its push reaching this gateway's connection; tag dialect.</summary>
    public const string DeliveryDuration = "orleansim.gateway.delivery.duration";

    /// <summary>Counter: requests or frames refused by a rate limit; tags dialect, limit (the limit's name). Incremented through <see cref="RateLimitRejected"/>.</summary>
    public const string RateLimitRejections = "orleansim.gateway.rate_limit.rejections";

    /// <summary>Buckets for second-valued latencies (OpenTelemetry's defaults suit milliseconds).</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _messagesDelivered;
    private readonly Histogram<double> _ackDuration;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Counter<long> _rateLimitRejections;
    private readonly TimeProvider _time;

    public GatewayMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>(Connections, "{connection}", "Open client connections.");
        _framesReceived = meter.CreateCounter<long>(FramesReceived, "{frame}", "Frames received from clients.");
        _framesSent = meter.CreateCounter<long>(FramesSent, "{frame}", "Frames queued for clients.");
        _messagesSent = meter.CreateCounter<long>(MessagesSent, "{message}", "Chat messages acknowledged to their senders.");
        _messagesDelivered = meter.CreateCounter<long>(MessagesDelivered, "{message}", "Chat messages pushed to client connections.");
        var latency = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        _ackDuration = meter.CreateHistogram(AckDuration, "s", "From a send arriving to its acknowledgement.", advice: latency);
        _deliveryDuration = meter.CreateHistogram(DeliveryDuration, "s", "From a message's server time to its push reaching a connection.", advice: latency);
        _rateLimitRejections = meter.CreateCounter<long>(RateLimitRejections, "{rejection}", "Requests or frames refused by a rate limit.");
    }

    /// <summary>Counts a connection as open until the returned handle is disposed (once).</summary>
    public IDisposable ConnectionOpened(string dialect, string deviceType)
    {
        _connections.Add(1, ConnectionTags(dialect, deviceType));
        return new OpenConnection(this, dialect, deviceType);
    }

    public void FrameReceived(string dialect) => _framesReceived.Add(1, new KeyValuePair<string, object?>("dialect", dialect));

    public void FrameSent(string dialect) => _framesSent.Add(1, new KeyValuePair<string, object?>("dialect", dialect));

    /// <summary>A send was acknowledged; <paramref name="startedTimestamp"/> is a <see cref="Stopwatch.GetTimestamp"/> from when it arrived.</summary>
    public void MessageAcknowledged(string dialect, long startedTimestamp)
    {
        var tag = new KeyValuePair<string, object?>("dialect", dialect);
        _messagesSent.Add(1, tag);
        _ackDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tag);
    }

    /// <summary>A message was pushed to a connection; <paramref name="messageTimeMs"/> is its server time (Unix ms).</summary>
    public void MessageDelivered(string dialect, long messageTimeMs)
    {
        var tag = new KeyValuePair<string, object?>("dialect", dialect);
        _messagesDelivered.Add(1, tag);
        // Server time comes from the silo's clock: across machines it may be a little ahead of ours.
        var seconds = Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds() - messageTimeMs) / 1000.0;
        _deliveryDuration.Record(seconds, tag);
    }

    /// <summary>For rate limiters: one request or frame refused by the limit named <paramref name="limit"/> (e.g. "messages", "logins").</summary>
    public void RateLimitRejected(string dialect, string limit) =>
        _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("dialect", dialect), new KeyValuePair<string, object?>("limit", limit));

    private static TagList ConnectionTags(string dialect, string deviceType) => new() { { "dialect", dialect }, { "device_type", deviceType } };

    /// <summary>Held by every open socket: two string references, not a tag list (~150 bytes less per idle socket).</summary>
    private sealed class OpenConnection(GatewayMetrics metrics, string dialect, string deviceType) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) metrics._connections.Add(-1, ConnectionTags(dialect, deviceType));
        }
    }
}
