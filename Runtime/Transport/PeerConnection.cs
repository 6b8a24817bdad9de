using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansIm.Runtime.Messaging;

namespace OrleansIm.Runtime.Transport;

/// <summary>
/// One live, handshaken connection: a read loop that hands each message to the manager in arrival order, and a
/// single write loop that drains the send queue, so messages to one peer go out in the order they were queued.
/// Inbound (Kestrel) and outbound (socket) connections are the same thing once the pipes exist.
/// </summary>
internal sealed class PeerConnection(
    string peerId,
    string description,
    PipeReader reader,
    PipeWriter writer,
    Channel<Message> queue,
    TransportOptions options,
    Action<Message> onMessage,
    Action<Message, Exception> onSendFailed,
    ILogger logger)
{
    // Flush mid-batch past this, so a long queue does not buffer megabytes before the first byte leaves.
    private const int FlushThresholdBytes = 64 * 1024;

    public string PeerId { get; } = peerId;

    public bool TryEnqueue(Message message) => queue.Writer.TryWrite(message);

    /// <summary>Runs until either loop ends (EOF, error, protocol violation) or <paramref name="stop"/> fires; then closes both pipes.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var readLoop = ReadLoopAsync(cts.Token);
        var writeLoop = WriteLoopAsync(cts.Token);
        await Task.WhenAny(readLoop, writeLoop);
        cts.Cancel();
        try { await Task.WhenAll(readLoop, writeLoop); } catch { } // Each loop logged its own failure.
        await reader.CompleteAsync();
        await writer.CompleteAsync();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (Framing.TryReadFrame(ref buffer, options.MaxFrameBytes, out var payload))
                {
                    Deliver(MessageCodec.Decode(payload));
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty) logger.LogWarning("Connection {Connection} closed in the middle of a frame.", description);
                    else logger.LogDebug("Connection {Connection} closed by the peer.", description);
                    return;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            // The stream is out of step or the peer is hostile: nothing after this point can be trusted.
            logger.LogError(ex, "Closing connection {Connection}: protocol violation.", description);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "Connection {Connection} failed while reading.", description);
            throw;
        }
    }

    private void Deliver(Message message)
    {
        try
        {
            onMessage(message);
        }
        catch (Exception ex)
        {
            // A bug in routing one message must not take down the whole connection.
            logger.LogError(ex, "Handling {Message} from {Connection} failed.", message, description);
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                while (queue.Reader.TryRead(out var message))
                {
                    try
                    {
                        Framing.WriteMessage(writer, message, options.MaxFrameBytes);
                    }
                    catch (Exception ex) when (ex is TransportException or ArgumentException)
                    {
                        // Only this message is bad (too large); the connection is fine.
                        onSendFailed(message, ex);
                        continue;
                    }
                    if (writer.CanGetUnflushedBytes && writer.UnflushedBytes >= FlushThresholdBytes && (await writer.FlushAsync(cancellationToken)).IsCompleted) return;
                }
                if ((await writer.FlushAsync(cancellationToken)).IsCompleted) return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "Connection {Connection} failed while writing.", description);
            throw;
        }
    }

    public override string ToString() => description;
}
