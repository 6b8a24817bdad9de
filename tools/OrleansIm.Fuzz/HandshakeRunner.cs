using System.Net.WebSockets;

namespace OrleansIm.Fuzz;

/// <summary>Attempts handshakes: upgraded (then closed again) or refused with a documented HTTP status.</summary>
public sealed class HandshakeRunner(Uri baseUri, FuzzReport report, TimeSpan timeout)
{
    public async Task RunAsync(HandshakeInput input)
    {
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
}
