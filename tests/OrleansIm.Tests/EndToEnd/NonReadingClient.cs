using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// A real WebSocket client over a TCP socket with a small receive buffer that does not read until the test says
/// so: once the kernel buffers between it and the node are full, the node's sends stall, as with a client that
/// stopped reading (a frozen tab, a paused process).
/// </summary>
public sealed class NonReadingClient : IAsyncDisposable
{
    private readonly HttpMessageInvoker _invoker;

    private NonReadingClient(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        Socket = socket;
        _invoker = invoker;
    }

    /// <summary>The client socket; nothing calls ReceiveAsync on it until a test hands it to a reading client.</summary>
    public ClientWebSocket Socket { get; }

    public static async Task<NonReadingClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                try
                {
                    await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        configure(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        return new NonReadingClient(socket, invoker);
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        Socket.Abort();
        Socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
