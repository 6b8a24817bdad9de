using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using OrleansIm.Runtime.Messaging;

namespace OrleansIm.Runtime.Transport;

/// <summary>
/// Persistent TCP connections between processes. <see cref="Send"/> dials an endpoint on first use and keeps the
/// connection; <see cref="TrySendToProcess"/> answers over whatever connection a peer opened (gateways dial silos
/// but do not listen). Callbacks run on transport threads and must not block: <c>onMessage</c> runs in the read
/// loop, in arrival order per connection.
/// </summary>
/// <remarks>
/// Backpressure: none — every per-peer queue is bounded (<see cref="TransportOptions.SendQueueCapacity"/>) and a
/// send that finds it full fails at once, so a grain turn never waits on a slow socket; the caller turns the
/// failure into an error response. Messages accepted but never written (connect failed, connection died) are
/// reported through <c>onSendFailed</c>; messages written but unanswered are covered by <c>onConnectionLost</c>.
/// Callbacks are not raised once disposal has begun.
/// </remarks>
internal sealed class ConnectionManager : IAsyncDisposable
{
    private readonly string _localProcessId;
    private readonly Action<Message> _onMessage;
    private readonly Action<string> _onConnectionLost;
    private readonly Action<Message, Exception> _onSendFailed;
    private readonly TransportOptions _options;
    private readonly ILogger _logger;

    private readonly ConcurrentDictionary<EndPoint, OutboundPeer> _outbound = new();
    private readonly Lock _connectionsGate = new();
    private readonly Dictionary<string, List<PeerConnection>> _byProcess = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _shutdown = new();
    private volatile bool _disposed;

    public ConnectionManager(
        string localProcessId,
        Action<Message> onMessage,
        Action<string> onConnectionLost,
        TransportOptions options,
        ILogger logger,
        Action<Message, Exception>? onSendFailed = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localProcessId);
        _localProcessId = localProcessId;
        _onMessage = onMessage;
        _onConnectionLost = onConnectionLost;
        _options = options;
        _logger = logger;
        _onSendFailed = onSendFailed ?? ((message, ex) => logger.LogWarning(ex, "Could not deliver {Message}.", message));
    }

    public string LocalProcessId => _localProcessId;

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="endpoint"/>, opening the connection if there is none.
    /// Messages sent to one endpoint are written in call order.
    /// </summary>
    /// <exception cref="TransportException">The queue is full, or a connect to this endpoint failed within the last <see cref="TransportOptions.ReconnectBackoff"/>.</exception>
    public void Send(EndPoint endpoint, Message message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var peer = _outbound.GetOrAdd(endpoint, static e => new OutboundPeer(e));
        lock (peer.Gate)
        {
            if (peer.Queue is null)
            {
                var wait = peer.RetryNotBefore - Environment.TickCount64;
                if (wait > 0) throw new TransportException($"{endpoint} is unreachable ({peer.LastError}); retrying in {wait} ms.");
                var queue = CreateQueue();
                peer.Queue = queue;
                // Off this thread: the connect must not run inside the lock or the caller's grain turn.
                Track(Task.Run(() => RunOutboundAsync(peer, queue)));
            }
            if (!peer.Queue.Writer.TryWrite(message))
                throw new TransportException($"Send queue to {endpoint} is full ({_options.SendQueueCapacity} messages).");
        }
    }

    /// <summary>Queues a message on any live connection whose peer introduced itself as <paramref name="processId"/>.</summary>
    /// <returns>False if there is no such connection or its queue is full.</returns>
    public bool TrySendToProcess(string processId, Message message)
    {
        if (_disposed) return false;
        lock (_connectionsGate)
        {
            if (!_byProcess.TryGetValue(processId, out var connections)) return false;
            // Oldest first: a stable choice keeps successive messages on one connection, hence in order.
            foreach (var connection in connections)
            {
                if (connection.TryEnqueue(message)) return true;
            }
            return false;
        }
    }

    /// <summary>True if some handshaken connection (either direction) to <paramref name="processId"/> is open.</summary>
    public bool IsConnected(string processId)
    {
        lock (_connectionsGate) return _byProcess.ContainsKey(processId);
    }

    /// <summary>Serves one inbound connection until it closes; called by <see cref="SiloConnectionHandler"/>.</summary>
    internal async Task HandleInboundAsync(ConnectionContext context)
    {
        if (_disposed) return;
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Track(tcs.Task);
        try
        {
            // Kestrel asks connections to close on server shutdown; honour it so stopping a listener is prompt.
            var closeRequested = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, context.ConnectionClosed, closeRequested);
            var description = $"in:{context.RemoteEndPoint}";
            var input = context.Transport.Input;
            var output = context.Transport.Output;

            string peerId;
            try
            {
                peerId = await HandshakeAsync(input, output, stop.Token);
            }
            catch (Exception ex)
            {
                if (!stop.IsCancellationRequested) _logger.LogWarning(ex, "Rejected inbound connection from {Remote}: no valid hello.", context.RemoteEndPoint);
                return;
            }

            description = $"in:{context.RemoteEndPoint}({peerId})";
            var queue = CreateQueue();
            var connection = CreateConnection(peerId, description, input, output, queue);
            await ServeAsync(connection, queue, stop.Token, beforeCleanup: null);
        }
        finally
        {
            tcs.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _shutdown.Cancel();
        // _shutdown is not disposed: a racing Send may still link to its token, and it holds no timer.
        try { await Task.WhenAll(_running.Keys); } catch { } // Each task logged its own failure.
    }

    private async Task RunOutboundAsync(OutboundPeer peer, Channel<Message> queue)
    {
        PeerConnection connection;
        try
        {
            connection = await ConnectAsync(peer.EndPoint, queue);
        }
        catch (Exception ex)
        {
            var error = ex is OperationCanceledException && !_shutdown.IsCancellationRequested
                ? new TransportException($"Connecting to {peer.EndPoint} timed out after {_options.ConnectTimeout}.", ex)
                : ex;
            if (!_disposed) _logger.LogWarning(error, "Could not connect to {Endpoint}.", peer.EndPoint);
            lock (peer.Gate)
            {
                peer.RetryNotBefore = Environment.TickCount64 + (long)_options.ReconnectBackoff.TotalMilliseconds;
                peer.LastError = error.Message;
                peer.Queue = null;
                queue.Writer.TryComplete();
            }
            FailQueued(queue, new TransportException($"Could not connect to {peer.EndPoint}: {error.Message}", error));
            return;
        }

        // A connection that worked and then died is retried on the next send without delay: the peer may have restarted.
        await ServeAsync(connection, queue, _shutdown.Token, beforeCleanup: () =>
        {
            lock (peer.Gate)
            {
                peer.Queue = null;
                queue.Writer.TryComplete();
            }
        });
    }

    private async Task<PeerConnection> ConnectAsync(EndPoint endpoint, Channel<Message> queue)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = endpoint is DnsEndPoint
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        NetworkStream? stream = null;
        try
        {
            socket.NoDelay = true; // Small request/response frames; batching happens in the write loop.
            await socket.ConnectAsync(endpoint, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            var reader = PipeReader.Create(stream);
            var writer = PipeWriter.Create(stream);
            var peerId = await HandshakeAsync(reader, writer, timeout.Token);
            return CreateConnection(peerId, $"out:{endpoint}({peerId})", reader, writer, queue);
        }
        catch
        {
            if (stream is not null) await stream.DisposeAsync();
            else socket.Dispose();
            throw;
        }
    }

    private async Task<string> HandshakeAsync(PipeReader reader, PipeWriter writer, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.ConnectTimeout);
        return await Handshake.ExchangeAsync(reader, writer, _localProcessId, timeout.Token);
    }

    private async Task ServeAsync(PeerConnection connection, Channel<Message> queue, CancellationToken stop, Action? beforeCleanup)
    {
        Register(connection);
        _logger.LogDebug("Connection {Connection} established.", connection);
        try
        {
            await connection.RunAsync(stop);
        }
        finally
        {
            Unregister(connection);
            if (beforeCleanup is null) queue.Writer.TryComplete();
            else beforeCleanup();
            FailQueued(queue, new TransportException($"Connection {connection} was lost before the message was written."));
            if (!_disposed)
            {
                _logger.LogInformation("Connection {Connection} lost.", connection);
                try
                {
                    _onConnectionLost(connection.PeerId);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "onConnectionLost({Peer}) failed.", connection.PeerId);
                }
            }
        }
    }

    private PeerConnection CreateConnection(string peerId, string description, PipeReader reader, PipeWriter writer, Channel<Message> queue) =>
        new(peerId, description, reader, writer, queue, _options, _onMessage, ReportSendFailure, _logger);

    private Channel<Message> CreateQueue() => Channel.CreateBounded<Message>(new BoundedChannelOptions(_options.SendQueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // With TryWrite this means "refuse when full", never drop silently.
    });

    /// <summary>Reports every message still queued; the queue must already be completed.</summary>
    private void FailQueued(Channel<Message> queue, Exception error)
    {
        while (queue.Reader.TryRead(out var message)) ReportSendFailure(message, error);
    }

    private void ReportSendFailure(Message message, Exception error)
    {
        if (_disposed) return;
        try
        {
            _onSendFailed(message, error);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "onSendFailed({Message}) failed.", message);
        }
    }

    private void Register(PeerConnection connection)
    {
        lock (_connectionsGate)
        {
            if (!_byProcess.TryGetValue(connection.PeerId, out var list)) _byProcess[connection.PeerId] = list = [];
            list.Add(connection);
        }
    }

    private void Unregister(PeerConnection connection)
    {
        lock (_connectionsGate)
        {
            if (!_byProcess.TryGetValue(connection.PeerId, out var list)) return;
            list.Remove(connection);
            if (list.Count == 0) _byProcess.Remove(connection.PeerId);
        }
    }

    private void Track(Task task)
    {
        _running[task] = 0;
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Per-endpoint dial state. <see cref="Queue"/> is non-null exactly while a connect or connection is in progress.</summary>
    private sealed class OutboundPeer(EndPoint endPoint)
    {
        public EndPoint EndPoint { get; } = endPoint;
        public Lock Gate { get; } = new();
        public Channel<Message>? Queue { get; set; }
        public long RetryNotBefore { get; set; }
        public string LastError { get; set; } = "";
    }
}
