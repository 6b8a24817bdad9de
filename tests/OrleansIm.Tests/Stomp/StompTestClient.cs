using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using OrleansIm.Gateway.Stomp;

namespace OrleansIm.Tests.Stomp;

/// <summary>A minimal STOMP client over ClientWebSocket (our own codec) for in-process end-to-end tests.</summary>
public sealed class StompTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<StompFrame> _frames = Channel.CreateUnbounded<StompFrame>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private StompTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Starts reading an already connected socket (one that did not read so far).</summary>
    public static StompTestClient Attach(ClientWebSocket socket) => new(socket);

    public static async Task<StompTestClient> OpenAsync(Uri baseUri, string query, params string[] subprotocols)
    {
        var socket = new ClientWebSocket();
        foreach (var p in subprotocols) socket.Options.AddSubProtocol(p);
        var uri = new UriBuilder(baseUri) { Scheme = "ws", Path = StompEndpoint.Path, Query = query }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, timeout.Token);
        return new StompTestClient(socket);
    }

    public Task SendAsync(string raw) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(raw), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends one WebSocket text message as these frames (fragments; an empty one is an empty frame).</summary>
    public async Task SendFragmentsAsync(params string[] fragments)
    {
        for (var i = 0; i < fragments.Length; i++)
            await _socket.SendAsync(Encoding.UTF8.GetBytes(fragments[i]), WebSocketMessageType.Text, i == fragments.Length - 1, CancellationToken.None);
    }

    public async Task<StompFrame> ConnectAsync(string token, string? deviceType = null)
    {
        await SendAsync($"CONNECT\naccept-version:1.2\nide:{token}\n{(deviceType is null ? "" : $"deviceType:{deviceType}\n")}\n\0");
        return await NextAsync();
    }

    public async Task<StompFrame> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _frames.Reader.ReadAsync(cts.Token);
    }

    public async Task<WebSocketCloseStatus?> WaitClosedAsync() => await _closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

    private async Task ReceiveLoopAsync()
    {
        var parser = new StompFrameParser();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(_socket.CloseStatus);
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }
                parser.Feed(buffer.AsSpan(0, result.Count));
                while (parser.TryRead(out var frame)) _frames.Writer.TryWrite(frame);
            }
        }
        catch (Exception)
        {
            _closed.TrySetResult(null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Abort();
        await _loop;
        _socket.Dispose();
    }
}
