using System.Net.WebSockets;
using System.Text.Unicode;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// One client socket. The read loop parses and dispatches frames one at a time (replies stay in request order);
/// its <see cref="OutgoingFrames"/> is the only writer of the socket and drains a queue bounded in frames and bytes, so a client that
/// cannot keep up is disconnected instead of growing memory. Its <see cref="Tick"/>, which the gateway's
/// <see cref="ConnectionTicker"/> runs for every connection at once, enforces the idle and send timeouts and refreshes
/// the grain-side registration and presence subscriptions, which expire otherwise.
/// </summary>
public sealed class ClientConnection : IGatewayConnection, ITickedConnection
{
    /// <summary>
    /// Frames of one connection being handled at once. Frames start in arrival order and each handler reaches
    /// its grain call before yielding, so sends to one conversation keep their order; replies may overtake
    /// each other and are matched by id. A client that pipelines more than this waits (TCP backpressure).
    /// </summary>
    private const int MaxFramesInFlight = 32;

    private readonly GatewayOptions _options;
    private readonly OutgoingFrames _outgoing;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _framesInFlight = new(MaxFramesInFlight);
    private readonly InFlightFrames _handling = new();
    private readonly FrameRateLimit _frameLimit;
    private readonly RefreshSchedule _refresh;
    private long _lastReceivedTicks = Environment.TickCount64;
    private ClientSession? _session;
    private IGrainFactory? _grains;

    /// <param name="rateLimits">Null = the defaults (unit tests).</param>
    public ClientConnection(string connectionId, string userId, string deviceType, GatewayOptions options, ILogger logger, RateLimitOptions? rateLimits = null)
    {
        _frameLimit = new FrameRateLimit(rateLimits ?? new RateLimitOptions());
        ConnectionId = connectionId;
        UserId = userId;
        DeviceType = deviceType;
        _options = options;
        _logger = logger;
        _refresh = new RefreshSchedule(options.ObserverRefreshInterval);
        _outgoing = new OutgoingFrames(OutgoingLimits.From(options), logger, connectionId);
    }

    public string ConnectionId { get; }

    public string UserId { get; }

    public string DeviceType { get; }

    public string Dialect => Observability.GatewayMetrics.Json;

    /// <summary>Set once by the endpoint, before the connection is added to the ConnectionManager.</summary>
    public IClientObserver? Observer { get; set; }

    /// <summary>True once a close was requested; no more frames are dispatched.</summary>
    public bool IsClosing => _outgoing.IsClosing;

    public OutgoingFrames Outgoing => _outgoing;

    /// <summary>Re-register at the next tick (the cluster changed: the user grain may have moved and lost its device list).</summary>
    public void RequestRefresh() => _refresh.Request();

    /// <summary>Queues a frame; a full queue means the client is not reading, so the socket is closed (1008).</summary>
    public bool TryEnqueue(byte[] frame) => _outgoing.TryEnqueue(frame);

    void IGatewayConnection.Close(int code, string reason) => Close(code, reason);

    /// <summary>Sends <paramref name="finalFrame"/> (if any) after what is already queued, then closes with <paramref name="code"/>. Idempotent.</summary>
    public void Close(int code, string reason, byte[]? finalFrame = null) => _outgoing.Close(code, reason, finalFrame);

    /// <inheritdoc />
    public async Task DrainAsync(int reconnectAfterMs, CancellationToken deadline)
    {
        try
        {
            await _handling.StopAsync().WaitAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            // Drain deadline: replies still being computed are lost; the client resends (client_msg_id is idempotent).
        }
        Close(WebSocketCloseCodes.Draining, ConnectionManager.DrainReason, ServerFrames.Drain(reconnectAfterMs));
    }

    /// <summary>Runs the socket until it is closed or fails. Never throws for socket or client errors.</summary>
    public async Task RunAsync(WebSocket socket, ClientSession session, FrameDispatcher dispatcher, IGrainFactory grains, ConnectionTicker ticker)
    {
        _session = session;
        _grains = grains;
        var writeTask = _outgoing.SendUntilClosedAsync(socket);
        var readTask = ReadLoopAsync(socket, session, dispatcher);
        ticker.Add(this);
        try
        {
            await Task.WhenAny(readTask, writeTask);
            // The client closed first (or went away): complete the handshake with a normal close if the socket still allows it.
            if (readTask.IsCompleted) Close(WebSocketCloseCodes.Normal, "");

            var both = Task.WhenAll(readTask, writeTask);
            if (await Task.WhenAny(both, Task.Delay(_options.CloseTimeout)) != both)
            {
                // Our close frame was not answered in time (or a send is stuck): give up on the handshake.
                socket.Abort();
            }
            await both;
        }
        finally
        {
            ticker.Remove(this);
            _lifetime.Cancel();
            await _refresh.StopAsync();
            _frameLimit.Dispose();
        }
    }

    /// <summary>The periodic duties: a stalled send, the idle timeout, the re-registration (started, not awaited).</summary>
    public void Tick(long nowMs)
    {
        _outgoing.CheckSendTimeout(nowMs);
        if (IsClosing) return;
        if (nowMs - Interlocked.Read(ref _lastReceivedTicks) > (long)_options.IdleTimeout.TotalMilliseconds)
        {
            _logger.LogInformation("Connection {ConnectionId} of {UserId} idle for {IdleTimeout}; closing", ConnectionId, UserId, _options.IdleTimeout);
            Close(WebSocketCloseCodes.IdleTimeout, "idle timeout");
            return;
        }
        if (_refresh.TryStart(nowMs)) _ = RefreshAsync();
    }

    private async Task ReadLoopAsync(WebSocket socket, ClientSession session, FrameDispatcher dispatcher)
    {
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                // Holds no buffer while the client is silent (a zero-byte receive waits here, in this loop's one frame);
                // the message's buffer goes back to the pool below.
                var header = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                using var message = await WebSocketMessageReader.ReadMessageAsync(socket, header, _options.MaxFrameBytes, CancellationToken.None);
                if (message.Type == WebSocketMessageType.Close) return;

                Interlocked.Exchange(ref _lastReceivedTicks, Environment.TickCount64);
                if (IsClosing) continue; // Closing: drain until the client's close frame, answer nothing.

                // Every frame counts, before anything else is done with it; a refused one is answered and dropped.
                var admission = _frameLimit.Admit();
                if (admission.Verdict != FrameVerdict.Accept)
                {
                    Refuse(admission, message.Payload);
                    continue;
                }

                if (message.Type == WebSocketMessageType.Binary)
                {
                    Close(WebSocketCloseCodes.UnsupportedData, "binary frames are not supported");
                    continue;
                }
                if (message.Oversize)
                {
                    TryEnqueue(ServerFrames.ErrorFrame(null, ImErrorCodes.LimitExceeded, $"Frame larger than {_options.MaxFrameBytes} bytes was discarded."));
                    continue;
                }
                if (!Utf8.IsValid(message.Span))
                {
                    Close(WebSocketCloseCodes.InvalidPayload, "invalid UTF-8");
                    continue;
                }

                // Copied: the pooled buffer is returned before this frame is handled.
                var frame = message.Span.ToArray();
                await _framesInFlight.WaitAsync(_lifetime.Token);
                if (!_handling.TryStart())
                {
                    // Draining: not handled, and said so, so the client resends it on its next gateway.
                    _framesInFlight.Release();
                    TryEnqueue(ServerFrames.ErrorFrame(FrameParser.TryReadId(frame), ImErrorCodes.Unavailable, GatewayErrors.DrainingMessage));
                    continue;
                }
                _ = HandleFrameAsync(session, dispatcher, frame);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _logger.LogDebug(e, "Connection {ConnectionId} read loop ended", ConnectionId);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {ConnectionId} read loop failed", ConnectionId);
        }
    }

    private void Refuse(FrameAdmission admission, ReadOnlyMemory<byte> frame)
    {
        var id = FrameParser.TryReadId(frame);
        if (admission.Verdict == FrameVerdict.Close)
        {
            _logger.LogInformation("Connection {ConnectionId} of {UserId} kept sending far past the frame rate limit; closing", ConnectionId, UserId);
            Close(WebSocketCloseCodes.TooManyFrames, "too many frames",
                ServerFrames.ErrorFrame(id, ImErrorCodes.RateLimited, "Too many frames; closing.", admission.RetryAfterMs));
            return;
        }
        TryEnqueue(ServerFrames.ErrorFrame(id, ImErrorCodes.RateLimited, "Too many frames; retry after retry_after_ms.", admission.RetryAfterMs));
    }

    private async Task HandleFrameAsync(ClientSession session, FrameDispatcher dispatcher, byte[] frame)
    {
        try
        {
            // A handler's leading frames and its reply go out back to back, in order.
            foreach (var reply in await dispatcher.DispatchAsync(session, frame, _lifetime.Token))
            {
                if (!TryEnqueue(reply)) break;
            }
        }
        catch (Exception e)
        {
            // The dispatcher turns every handler failure into an error frame; reaching here is a bug.
            _logger.LogError(e, "Connection {ConnectionId}: handling a frame failed", ConnectionId);
        }
        finally
        {
            _handling.Finish();
            _framesInFlight.Release();
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            if (await SessionRefresh.RefreshAsync(_grains!, _session!, _logger) is { } code)
                Close(code, code == WebSocketCloseCodes.Banned ? "banned" : "token revoked");
        }
        finally
        {
            _refresh.Finish();
        }
    }
}
