using System.Net.WebSockets;
using System.Text.Json;

namespace OrleansIm.Fuzz;

/// <summary>
/// Sends /ws inputs one at a time on one connection (its own user) and waits for the answer: a reply frame
/// (<c>error</c> with a code, <c>*.ack</c>, <c>pong</c>, <c>login.success</c>) or a close. Pushes are skipped.
/// A closed connection is replaced before the next input.
/// </summary>
public sealed class WsFrameRunner(Uri baseUri, string token, string deviceType, FuzzReport report, TimeSpan timeout) : IAsyncDisposable
{
    private ClientWebSocket? _socket;

    public async Task RunAsync(WsFrameInput input)
    {
        try
        {
            _socket ??= await ConnectAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            report.Fail(input, $"could not (re)connect the lane's /ws socket: {e.Message}");
            return;
        }
        var socket = _socket;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var chunk = (input.Payload.Length + input.Fragments - 1) / Math.Max(1, input.Fragments);
            var type = input.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            if (input.Payload.Length == 0) await socket.SendAsync(ReadOnlyMemory<byte>.Empty, type, true, cts.Token);
            for (var offset = 0; offset < input.Payload.Length; offset += chunk)
            {
                var length = Math.Min(chunk, input.Payload.Length - offset);
                await socket.SendAsync(input.Payload.AsMemory(offset, length), type, offset + length >= input.Payload.Length, cts.Token);
            }
            await ReadAnswerAsync(input, socket, cts.Token);
        }
        catch (OperationCanceledException)
        {
            report.Fail(input, $"no reply or close within {timeout.TotalSeconds:F0} s");
            Drop();
        }
        catch (WebSocketException e) when (!input.Binary && ByteMutator.IsInvalidUtf8(input.Payload))
        {
            // Known, see docs/security.md: the server stops reading mid-message and its close frame (1007) can be lost to a TCP reset.
            report.Code(input, "ws reset after invalid UTF-8 (no close frame)", 0, new HashSet<int> { 0 });
            report.Trace?.Invoke(e.Message);
            Drop();
        }
        catch (WebSocketException e)
        {
            report.Fail(input, $"/ws connection broken without a close frame: {e.Message}");
            Drop();
        }
    }

    private async Task ReadAnswerAsync(WsFrameInput input, ClientWebSocket socket, CancellationToken cancellation)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellation);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                report.Code(input, "ws close", (int?)socket.CloseStatus ?? 1005, DocumentedCodes.CloseCodes);
                Drop();
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            var text = message.ToArray();
            message.SetLength(0);
            if (IsReply(input, text)) return;
        }
    }

    /// <summary>Records the frame's code if it is a reply; false for a push.</summary>
    private bool IsReply(WsFrameInput input, byte[] text)
    {
        JsonElement frame;
        try
        {
            frame = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            report.Fail(input, "the server sent a frame that is not JSON: " + FuzzInput.Printable(text));
            return true;
        }
        var type = frame.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (type == "error")
        {
            if (frame.TryGetProperty("code", out var code) && code.TryGetInt32(out var value)) report.Code(input, "ws error code", value, DocumentedCodes.Business);
            else report.Fail(input, "error frame without an integer code: " + FuzzInput.Printable(text));
            report.Trace?.Invoke("reply: " + FuzzInput.Printable(text, 500));
            return true;
        }
        if (type.EndsWith(".ack", StringComparison.Ordinal) || type is "pong" or "login.success")
        {
            report.Code(input, "ws reply ok", 0, DocumentedCodes.Business);
            report.Trace?.Invoke("reply: " + FuzzInput.Printable(text, 500));
            return true;
        }
        report.Trace?.Invoke("push: " + FuzzInput.Printable(text, 200));
        return false;
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("token", token);
        socket.Options.SetRequestHeader("deviceType", deviceType);
        using var cts = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = "/ws" }.Uri, cts.Token);
        return socket;
    }

    private void Drop()
    {
        _socket?.Abort();
        _socket?.Dispose();
        _socket = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is { State: WebSocketState.Open } socket)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        Drop();
    }
}
