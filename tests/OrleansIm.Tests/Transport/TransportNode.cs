using System.Collections.Concurrent;
using System.Net;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Tests.Transport;

/// <summary>A connection manager plus (optionally) a listener, recording everything its callbacks see.</summary>
internal sealed class TransportNode : IAsyncDisposable
{
    private TransportNode(string id, TransportOptions options)
    {
        Id = id;
        Manager = new ConnectionManager(id, Received.Enqueue, Lost.Enqueue, options, Logger, (m, ex) => SendFailed.Enqueue((m, ex)));
    }

    public string Id { get; }
    public ConnectionManager Manager { get; }
    public SiloListener? Listener { get; private set; }
    public IPEndPoint EndPoint => Listener?.EndPoint ?? throw new InvalidOperationException($"{Id} does not listen.");
    public CapturingLogger Logger { get; } = new();
    public ConcurrentQueue<Message> Received { get; } = new();
    public ConcurrentQueue<string> Lost { get; } = new();
    public ConcurrentQueue<(Message Message, Exception Error)> SendFailed { get; } = new();

    public static TransportOptions FastOptions() => new() { ReconnectBackoff = TimeSpan.FromMilliseconds(100), SendQueueCapacity = 20_000 };

    /// <summary>A node that only dials out, like a gateway.</summary>
    public static TransportNode Client(string id, TransportOptions? options = null) => new(id, options ?? FastOptions());

    public static async Task<TransportNode> ListeningAsync(string id, int port = 0, TransportOptions? options = null)
    {
        var node = new TransportNode(id, options ?? FastOptions());
        node.Listener = await SiloListener.StartAsync(node.Manager, port);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        // Manager first: it closes the connections, so the listener's stop does not wait on them.
        await Manager.DisposeAsync();
        if (Listener is not null) await Listener.DisposeAsync();
    }
}
