using System.Net.WebSockets;

namespace OrleansIm.Fuzz;

/// <summary>Attempts handshakes: upgraded (then closed again) or refused with a documented HTTP status.</summary>
public sealed class HandshakeRunner(Uri baseUri, FuzzReport report, TimeSpan timeout)
{
    public async Task RunAsync(HandshakeInput input)
    {
        if (input.RawHead is { } raw)
        {
            await RunRawAsync(input, raw);
            return;
        }
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            foreach (var (name, value) in input.Headers) socket.Options.SetRequestHeader(name, value);
            foreach (var protocol in input.Subprotocols) socket.Options.AddSubProtocol(protocol);
        }
        catch (ArgumentException)
        {
            report.Code(input, "handshake skipped (client refused to build it)", 0, new HashSet<int> { 0 });
            return;
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(FuzzEngine.SocketUri(baseUri, input.Path, input.Query), cts.Token);
        }
        catch (WebSocketException)
        {
            if (socket.HttpStatusCode == 0) report.Fail(input, "handshake failed without an HTTP response");
            else report.Code(input, "handshake status", (int)socket.HttpStatusCode, DocumentedCodes.HandshakeStatuses);
            return;
        }
        catch (OperationCanceledException)
        {
            report.Fail(input, $"handshake unanswered within {timeout.TotalSeconds:F0} s");
            return;
        }
        report.Code(input, "handshake status", 101, DocumentedCodes.HandshakeStatuses);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>Writes the bytes, ends the sending side, and reads the answer to the end: one documented status, or none.</summary>
    private async Task RunRawAsync(HandshakeInput input, byte[] raw)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        var answer = new MemoryStream();
        try
        {
            await client.ConnectAsync(baseUri.Host, baseUri.Port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(raw, cts.Token);
            client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0 && answer.Length < 64 * 1024) answer.Write(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            report.Fail(input, $"raw handshake unanswered within {timeout.TotalSeconds:F0} s");
            return;
        }
        catch (IOException)
        {
            // Reset after the answer: what was read counts.
        }
        var text = System.Text.Encoding.Latin1.GetString(answer.GetBuffer(), 0, (int)Math.Min(answer.Length, 32));
        var status = text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(9, 3), out var s) ? s : answer.Length == 0 ? 0 : -1;
        report.Code(input, "raw handshake status", status, DocumentedCodes.RawHandshakeStatuses);
    }
}
