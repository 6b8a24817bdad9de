using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// One STOMP-over-WebSocket client. Three loops: read (feeds WebSocket messages, text or binary, into the
/// incremental parser), process (CONNECT, then every frame in order — call signals must stay ordered), write
/// (the only socket writer, a queue bounded in frames and bytes, shared with /ws); and a tick from the gateway's
/// <see cref="ConnectionTicker"/> (heart-beats out, silence check in, periodic re-registration, stalled sends).
/// Reading goes on while a frame is processed, so heart-beats keep counting.
/// </summary>
public sealed class StompConnection : IGatewayConnection, IStompOutput, ITickedConnection
{
    private const int ReceiveChunkBytes = 8 * 1024;
    private const int MaxQueuedFrames = 32;

    /// <summary>The last frame to a client whose outgoing queue overflowed; one for all connections (frames are only read).</summary>
    private static readonly byte[] NotReadingFrame =
        StompFrameWriter.Write(StompErrors.Frame("The client does not read its frames: its outgoing queue is full."));

    private readonly StompConnectionContext _context;
    private readonly ILogger _logger;
    private readonly StompFrameParser _parser;
    private readonly OutgoingFrames _outgoing;
    private readonly Channel<StompFrame> _incoming = Channel.CreateBounded<StompFrame>(new BoundedChannelOptions(MaxQueuedFrames) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly FrameRateLimit _frameLimit;
    private readonly InFlightFrames _handling = new();
    private StompSession? _session;
    private long _lastReceivedTicks = Environment.TickCount64;
    private readonly long _openedAtTicks = Environment.TickCount64;
    private readonly RefreshSchedule _refresh;
    private long _nextHeartBeatMs;
    private volatile bool _connected;
    private StompHeartBeat _heartBeat;
    // Held for the life of the socket: Orleans keeps observer objects only through weak references.
    private StompObserver? _observer;
    private bool _registered;
    private IDisposable? _open;

    public StompConnection(StompConnectionContext context)
    {
        _context = context;
        _logger = context.ConnectionLogger;
        _frameLimit = new FrameRateLimit(context.RateLimits);
        _refresh = new RefreshSchedule(context.Options.ObserverRefreshInterval);
        _parser = new StompFrameParser(new StompLimits(context.Options.StompMaxFrameBytes, StompLimits.Default.MaxHeaders, StompLimits.Default.MaxHeaderLineBytes));
        _outgoing = new OutgoingFrames(OutgoingLimits.From(context.Options), _logger, ConnectionId, NotReadingFrame);
    }

    public string ConnectionId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Empty until CONNECT; the connection is in the ConnectionManager only after it.</summary>
    public string UserId => _session?.Client.UserId ?? "";

    public string DeviceType => _session?.Client.DeviceType ?? "";

    public string Dialect => GatewayMetrics.Stomp;

    public IClientObserver? Observer => _observer;

    /// <summary>Negotiated after CONNECT (0,0 before).</summary>
    public StompHeartBeat HeartBeat => _heartBeat;

    public bool IsClosing => _outgoing.IsClosing;

    public OutgoingFrames Outgoing => _outgoing;

    public void RequestRefresh() => _refresh.Request();

    public bool Send(StompFrame frame) => TryEnqueue(StompFrameWriter.Write(frame));

    void IGatewayConnection.Close(int code, string reason) => Close(code, reason, StompErrors.Frame(reason));

    public void Close(int code, string reason, StompFrame? finalFrame = null) =>
        _outgoing.Close(code, reason, finalFrame is null ? null : StompFrameWriter.Write(finalFrame));

    /// <summary>Drain: the frame being processed is finished (a SEND gets its RECEIPT), then ERROR "server draining" and close 4503.</summary>
    public async Task DrainAsync(int reconnectAfterMs, CancellationToken deadline)
    {
        try
        {
            await _handling.StopAsync().WaitAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            // Drain deadline: a frame still being processed gets no RECEIPT; the client resends it elsewhere.
        }
        var after = reconnectAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Close(WebSocketCloseCodes.Draining, ConnectionManager.DrainReason, StompErrors.Frame(
            StompErrors.DrainingMessage,
            System.Text.Encoding.UTF8.GetBytes(GatewayErrors.DrainingMessage),
            "text/plain",
            (StompHeaders.ReconnectAfterMs, after)));
    }

    /// <summary>Runs the socket until it closes. Never throws for socket or client errors.</summary>
    public async Task RunAsync(WebSocket socket, string? queryUserId, string? queryDeviceType)
    {
        var writeTask = _outgoing.SendUntilClosedAsync(socket);
        var readTask = ReadLoopAsync(socket);
        var processTask = ProcessLoopAsync(queryUserId, queryDeviceType);
        _context.Ticker.Add(this);
        try
        {
            await Task.WhenAny(readTask, writeTask);
            if (readTask.IsCompleted) Close(WebSocketCloseCodes.Normal, "");

            var both = Task.WhenAll(readTask, writeTask);
            if (await Task.WhenAny(both, Task.Delay(_context.Options.CloseTimeout)) != both)
            {
                socket.Abort();
                // Also frees a read loop waiting for room in the incoming queue of a stuck processor.
                _lifetime.Cancel();
            }
            await both;
        }
        finally
        {
            _incoming.Writer.TryComplete();
            _context.Ticker.Remove(this);
            _lifetime.Cancel();
            await _refresh.StopAsync();
            await processTask;
            _frameLimit.Dispose();
            await CleanupAsync();
        }
    }

    private bool TryEnqueue(byte[] bytes)
    {
        if (!_outgoing.TryEnqueue(bytes)) return false;
        _context.Metrics.FrameSent(GatewayMetrics.Stomp);
        return true;
    }

    private async Task ReadLoopAsync(WebSocket socket)
    {
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                // The parser is incremental: a WebSocket message of any size is fed in receive-sized pieces, and
                // the receive buffer is rented only once data is there (an idle socket holds none).
                var result = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) return;
                if (result.EndOfMessage)
                {
                    // An empty message: nothing to feed, but the client is there.
                    Interlocked.Exchange(ref _lastReceivedTicks, Environment.TickCount64);
                    continue;
                }
                var chunk = ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes);
                try
                {
                    do
                    {
                        result = await socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Close) return;
                        Interlocked.Exchange(ref _lastReceivedTicks, Environment.TickCount64);
                        if (IsClosing) continue; // Draining until the client's close frame.
                        try
                        {
                            _parser.Feed(chunk.AsSpan(0, result.Count));
                            while (_parser.TryRead(out var frame)) await _incoming.Writer.WriteAsync(frame, _lifetime.Token);
                        }
                        catch (StompProtocolException e)
                        {
                            ProtocolError(e.Message, receiptId: null);
                        }
                    }
                    while (!result.EndOfMessage);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or ChannelClosedException)
        {
            _logger.LogDebug(e, "STOMP connection {ConnectionId} read loop ended", ConnectionId);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "STOMP connection {ConnectionId} read loop failed", ConnectionId);
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    private async Task ProcessLoopAsync(string? queryUserId, string? queryDeviceType)
    {
        try
        {
            await foreach (var frame in _incoming.Reader.ReadAllAsync())
            {
                _context.Metrics.FrameReceived(GatewayMetrics.Stomp);
                if (IsClosing || _session?.Disconnected == true) continue;
                try
                {
                    if (_session is null) await ConnectAsync(frame, queryUserId, queryDeviceType);
                    // Every frame after CONNECT counts, except DISCONNECT: a client must always be able to leave cleanly.
                    else if (frame.Command != StompCommands.Disconnect && _frameLimit.Admit() is { Verdict: not FrameVerdict.Accept } admission)
                        RefuseFrame(_session, frame, admission);
                    else if (_handling.TryStart())
                    {
                        try { await _session.HandleAsync(frame); }
                        finally { _handling.Finish(); }
                    }
                    // else draining: not handled (no RECEIPT); the ERROR frame that follows tells the client to resend elsewhere.
                }
                catch (StompProtocolException e)
                {
                    ProtocolError(e.Message, frame[StompHeaders.Receipt]);
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "STOMP connection {ConnectionId} processing failed", ConnectionId);
            Close(1011, "internal error", StompErrors.Frame("Internal server error."));
        }
    }

    /// <summary>The first frame: CONNECT/STOMP with the token in <c>ide</c>; registers the device like /ws does.</summary>
    private async Task ConnectAsync(StompFrame frame, string? queryUserId, string? queryDeviceType)
    {
        if (frame.Command is not (StompCommands.Connect or StompCommands.Stomp))
            throw new StompProtocolException("The first frame must be CONNECT or STOMP.");

        var version = StompNegotiation.ChooseVersion(frame[StompHeaders.AcceptVersion]);
        if (version is null)
        {
            Close(StompCloseCodes.ProtocolError, "unsupported version",
                StompErrors.Frame("Supported protocol versions are " + StompNegotiation.SupportedVersions, [], "text/plain", (StompHeaders.Version, StompNegotiation.SupportedVersions)));
            return;
        }

        var deviceType = frame[StompHeaders.DeviceType] is { Length: > 0 } header ? header : queryDeviceType is { Length: > 0 } query ? query : DeviceTypes.Web;
        var authType = frame[StompHeaders.AuthType];
        var isStatic = AuthTypes.Parse(authType) == AuthTypes.Static;
        // A static token names its user; the query's userId is checked against it below. Otherwise the query names the account.
        var account = frame[StompHeaders.Account] is { Length: > 0 } named ? named : isStatic ? null : queryUserId;
        var auth = await _context.Authenticator.AuthenticateAsync(authType, frame[StompHeaders.Token], account, deviceType, _lifetime.Token);
        if (!auth.Succeeded)
        {
            if (auth.Code == ImErrorCodes.Unavailable)
                Close(1013, "try again later", StompErrors.Frame(auth.Message, Encoding.UTF8.GetBytes(auth.Message), "text/plain", (StompHeaders.Code, auth.Code.ToString(CultureInfo.InvariantCulture))));
            else if (isStatic && auth.Message == ClientAuthenticator.InvalidStaticTokenMessage)
                Refuse("Invalid or expired token.", "The 'ide' header must carry the token issued by /openapi/v1/user/login.", auth.Code);
            else Refuse(auth.Message, null, auth.Code);
            return;
        }
        var userId = auth.UserId!;
        if (!string.IsNullOrEmpty(queryUserId) && queryUserId != userId)
        {
            Refuse("userId does not match the token.");
            return;
        }
        if (!DeviceTypes.IsValid(deviceType))
        {
            Refuse("Unknown deviceType.", "deviceType must be one of: " + string.Join(", ", DeviceTypes.All) + ".");
            return;
        }
        var heartBeat = StompHeartBeat.Negotiate(frame[StompHeaders.HeartBeat],
            (int)_context.Options.StompHeartBeat.TotalMilliseconds, (int)_context.Options.StompHeartBeat.TotalMilliseconds);

        var observer = new StompObserver(_context.Options.PushGapTimeout, _context.Metrics);
        var reference = _context.Grains.CreateObjectReference<IClientObserver>(observer);
        var client = new ClientSession(userId, deviceType, ConnectionId, reference, auth.TokenGeneration, _context.Gateway.Name);
        var session = new StompSession(client, this, _context.Application, _logger);
        observer.Attach(session);
        _session = session;
        _observer = observer;
        try
        {
            await _context.Grains.GetGrain<IUserGrain>(userId).Connect(client.DeviceSession);
            _registered = true;
        }
        catch (ImException e) when (e.Code is ImErrorCodes.Banned or ImErrorCodes.UnknownUser)
        {
            Refuse(e.Code == ImErrorCodes.Banned ? "User is banned." : "Unknown user.");
            return;
        }
        catch (ImException e) when (e.Code == ImErrorCodes.TokenRevoked)
        {
            Refuse("Token refreshed or revoked.", e.Message, e.Code);
            return;
        }
        catch (Exception e) when (GatewayErrors.Classify(e) is { } known)
        {
            Close(1013, "try again later", StompErrors.Frame(known.Message));
            return;
        }

        _heartBeat = heartBeat;
        _connected = true;
        _context.Connections.Add(this);
        _open = _context.Metrics.ConnectionOpened(GatewayMetrics.Stomp, deviceType);
        var serverHeartBeat = (int)_context.Options.StompHeartBeat.TotalMilliseconds;
        Send(new StompFrame(StompCommands.Connected,
            (StompHeaders.Version, version),
            (StompHeaders.HeartBeat, $"{serverHeartBeat},{serverHeartBeat}"),
            (StompHeaders.Server, "OrleansIm/1"),
            (StompHeaders.Session, ConnectionId),
            (StompHeaders.UserName, userId)));
        _logger.LogInformation("User {UserId} connected over STOMP on {DeviceType} ({ConnectionId})", userId, deviceType, ConnectionId);
    }

    /// <summary>A frame over the rate limit is not handled: 429 on /user/queue/errors (no RECEIPT), or ERROR + 4429 for a client far past it.</summary>
    private void RefuseFrame(StompSession session, StompFrame frame, FrameAdmission admission)
    {
        var receipt = frame[StompHeaders.Receipt];
        if (admission.Verdict == FrameVerdict.Close)
        {
            _logger.LogInformation("STOMP connection {ConnectionId} kept sending far past the frame rate limit; closing", ConnectionId);
            Close(WebSocketCloseCodes.TooManyFrames, "too many frames", StompErrors.Frame("Too many frames.", receiptId: receipt));
            return;
        }
        session.SendRateLimited(frame.Command, admission.RetryAfterMs, receipt);
    }

    /// <summary>ERROR + close 4401; the <c>code</c> header carries the business code (401, 403, 302, 4011).</summary>
    private void Refuse(string message, string? detail = null, int code = 401) =>
        Close(StompCloseCodes.Unauthorized, "connect refused", StompErrors.Frame(message, Encoding.UTF8.GetBytes(detail ?? message), "text/plain",
            (StompHeaders.Code, code.ToString(CultureInfo.InvariantCulture))));

    private void ProtocolError(string message, string? receiptId) =>
        Close(StompCloseCodes.ProtocolError, "protocol error", StompErrors.Frame(message, receiptId: receiptId));

    private async Task CleanupAsync()
    {
        _context.Connections.Remove(this);
        _open?.Dispose();
        if (_session is null) return;
        await SessionRefresh.CleanupAsync(_context.Grains, _session.Client, _registered, _logger);
        ObserverRetirement.Retire(_context.Grains, _session.Client.Observer, _observer!);
        _logger.LogInformation("User {UserId} disconnected from STOMP ({ConnectionId})", _session.Client.UserId, ConnectionId);
    }

    /// <summary>The periodic duties: a stalled send, heart-beats out, the CONNECT timeout, silence in, re-registration (started, not awaited).</summary>
    public void Tick(long nowMs)
    {
        _outgoing.CheckSendTimeout(nowMs);
        if (IsClosing) return;
        var options = _context.Options;
        var heartBeat = _heartBeat;
        if (_connected && heartBeat.ServerToClientMs > 0 && nowMs >= _nextHeartBeatMs)
        {
            _nextHeartBeatMs = nowMs + heartBeat.ServerToClientMs;
            TryEnqueue(StompFrameWriter.HeartBeat.ToArray());
        }

        if (!_connected && nowMs - _openedAtTicks > (long)options.StompConnectTimeout.TotalMilliseconds)
        {
            _logger.LogInformation("STOMP connection {ConnectionId} sent no CONNECT within {Timeout}; closing", ConnectionId, options.StompConnectTimeout);
            Close(StompCloseCodes.Unauthorized, "no CONNECT", StompErrors.Frame("No CONNECT frame received in time."));
            return;
        }

        // Spec: a client silent for more than its promised rate is dead; we allow twice that (network jitter),
        // but never more than the idle timeout, whatever heart-beat the client asked for. Without client
        // heart-beats the idle timeout applies.
        var idleMs = (long)options.IdleTimeout.TotalMilliseconds;
        var silenceMs = _connected && heartBeat.ClientToServerMs > 0 ? Math.Min(2L * heartBeat.ClientToServerMs, idleMs) : idleMs;
        if (nowMs - Interlocked.Read(ref _lastReceivedTicks) > silenceMs)
        {
            _logger.LogInformation("STOMP connection {ConnectionId} silent for more than {SilenceMs} ms; closing", ConnectionId, silenceMs);
            Close(WebSocketCloseCodes.IdleTimeout, "no heart-beat", StompErrors.Frame("No frame or heart-beat received in time."));
            return;
        }

        if (_connected && _session is { } session && _refresh.TryStart(nowMs)) _ = RefreshAsync(session);
    }

    private async Task RefreshAsync(StompSession session)
    {
        try
        {
            if (await SessionRefresh.RefreshAsync(_context.Grains, session.Client, _logger) is { } code)
                Close(code, code == WebSocketCloseCodes.Banned ? "banned" : "token revoked",
                    StompErrors.Frame(code == WebSocketCloseCodes.Banned ? "User is banned." : "Token refreshed or revoked."));
        }
        finally
        {
            _refresh.Finish();
        }
    }
}
