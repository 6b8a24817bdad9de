using System.Net.WebSockets;
using System.Threading.Channels;
using OrleansIm.Gateway.Stomp;

namespace OrleansIm.Fuzz;

/// <summary>A raw STOMP socket: sends any bytes, reads the server's frames (with the gateway's own parser) and its close code.</summary>
public sealed class StompLink : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<StompFrame> _frames = Channel.CreateUnbounded<StompFrame>();
    private readonly Task _loop;

    private StompLink(ClientWebSocket socket)
    {
        _socket = socket;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The close code once the server closed; null while open or when the socket broke without a close frame.</summary>
    public int? CloseCode { get; private set; }

    /// <summary>Why reading stopped without a close frame (abort, or a frame our parser refused), if it did.</summary>
    public string? Broken { get; private set; }

    public static async Task<StompLink> OpenAsync(Uri uri, string? subprotocol, TimeSpan timeout)
    {
        var socket = new ClientWebSocket();
        if (subprotocol is not null) socket.Options.AddSubProtocol(subprotocol);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new StompLink(socket);
    }

    /// <summary>The WebSocket messages <see cref="SendAsync"/> splits <paramref name="bytes"/> into.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Split(byte[] bytes, int messages)
    {
        var chunk = Math.Max(1, (bytes.Length + messages - 1) / Math.Max(1, messages));
        for (var offset = 0; offset < bytes.Length; offset += chunk) yield return bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset));
    }

    /// <summary>True if a text message of the split is not UTF-8 by itself (also when a split cuts a character in two).</summary>
    public static bool HasInvalidTextMessage(byte[] bytes, int messages) =>
        Split(bytes, messages).Any(m => !System.Text.Unicode.Utf8.IsValid(m.Span));

    /// <summary>Sends <paramref name="bytes"/> split into <paramref name="messages"/> WebSocket messages; false if the socket is no longer open.</summary>
    public async Task<bool> SendAsync(byte[] bytes, bool binary = false, int messages = 1, CancellationToken cancellation = default)
    {
        var type = binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        try
        {
            if (bytes.Length == 0) await _socket.SendAsync(ReadOnlyMemory<byte>.Empty, type, true, cancellation);
            foreach (var message in Split(bytes, messages)) await _socket.SendAsync(message, type, true, cancellation);
            return true;
        }
        catch (WebSocketException)
        {
            return false;
        }
    }

    /// <summary>The next frame from the server; null when the socket ended (see <see cref="CloseCode"/>).</summary>
    public async Task<StompFrame?> NextAsync(CancellationToken cancellation)
    {
        while (await _frames.Reader.WaitToReadAsync(cancellation))
        {
            if (_frames.Reader.TryRead(out var frame)) return frame;
        }
        await _loop;
        return null;
    }

    public bool TryNext(out StompFrame? frame) => _frames.Reader.TryRead(out frame);

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
                    CloseCode = (int?)_socket.CloseStatus ?? 1005;
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }
                parser.Feed(buffer.AsSpan(0, result.Count));
                while (parser.TryRead(out var frame)) _frames.Writer.TryWrite(frame);
            }
        }
        catch (StompProtocolException e)
        {
            Broken = "the server sent a frame that is not STOMP: " + e.Message;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Broken ??= "socket broken without a close frame: " + e.Message;
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
                await _loop.WaitAsync(cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Abort();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _socket.Dispose();
    }
}
