using System.Text;
using System.Text.Json;
using OrleansIm.Gateway.Stomp;

namespace OrleansIm.Fuzz;

/// <summary>
/// Runs STOMP inputs. A first-frame input gets a new socket; a session input is sent on the lane's connected session
/// (its own user, subscribed to /user/queue/errors), followed by two UNSUBSCRIBE sentinels with receipts: the first
/// may be swallowed by a damaged frame, the second then still gets its RECEIPT. An input still unanswered after
/// <see cref="SettleTime"/> (a content-length promising more bytes) is followed by a frame-size's worth of filler,
/// which any parser state must answer with ERROR 4400. Only silence after that is a hang.
/// </summary>
public sealed class StompRunner(Uri baseUri, string token, string deviceType, FuzzReport report, TimeSpan timeout) : IAsyncDisposable
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1.5);

    private static readonly byte[] Filler = Enumerable.Repeat((byte)'x', StompFrameGenerator.MaxFrameBytes + 16).ToArray();

    private StompLink? _session;

    private Uri SocketUri => FuzzEngine.SocketUri(baseUri, StompEndpoint.Path);

    public async Task RunAsync(StompInput input)
    {
        if (input.BeforeConnect)
        {
            await using var link = await OpenOrFailAsync(input, input.Subprotocol);
            if (link is not null) await ExchangeAsync(input, link, sentinel: null);
            return;
        }
        _session ??= await OpenSessionAsync(input);
        if (_session is null) return;
        while (_session.TryNext(out var stale)) Observe(input, stale!);
        var sentinel = $"fz-{input.Index}";
        var bytes = Encoding.UTF8.GetBytes($"UNSUBSCRIBE\nid:fz-none\nreceipt:{sentinel}-a\n\n\0UNSUBSCRIBE\nid:fz-none\nreceipt:{sentinel}-b\n\n\0");
        var open = await ExchangeAsync(input, _session, sentinel + "-b", bytes);
        if (!open)
        {
            await _session.DisposeAsync();
            _session = null;
        }
    }

    /// <summary>Sends the input and reads until the sentinel's RECEIPT, CONNECTED (first frames), or the close. False if the socket is gone.</summary>
    private async Task<bool> ExchangeAsync(StompInput input, StompLink link, string? sentinel, byte[]? sentinelBytes = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        if (!await link.SendAsync(input.Payload, input.Binary, input.Messages, cts.Token) ||
            sentinelBytes is not null && !await link.SendAsync(sentinelBytes, cancellation: cts.Token))
        {
            // The server closed while we were still sending (e.g. a limit hit mid-input): its close code still tells.
        }
        var filled = false;
        var gotError = false;
        while (true)
        {
            StompFrame? frame;
            using var settle = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            if (!filled && !gotError) settle.CancelAfter(SettleTime);
            try
            {
                frame = await link.NextAsync(settle.Token);
            }
            catch (OperationCanceledException) when (!cts.IsCancellationRequested)
            {
                filled = true;
                report.Trace?.Invoke("no answer yet: sending filler");
                await link.SendAsync(Filler, cancellation: cts.Token);
                continue;
            }
            catch (OperationCanceledException)
            {
                report.Fail(input, gotError ? $"ERROR frame but no close within {timeout.TotalSeconds:F0} s" : $"no answer within {timeout.TotalSeconds:F0} s (filler sent: {filled})");
                return false;
            }
            if (frame is null)
            {
                if (link.CloseCode is { } code) report.Code(input, "stomp close", code, DocumentedCodes.CloseCodes);
                else if (!input.Binary && StompLink.HasInvalidTextMessage(input.Payload, input.Messages) && link.Broken?.StartsWith("socket broken", StringComparison.Ordinal) == true)
                    report.Code(input, "stomp reset after invalid UTF-8 (no close frame)", 0, new HashSet<int> { 0 }); // known, see WsFrameRunner
                else report.Fail(input, link.Broken ?? "STOMP socket ended without a close frame");
                return false;
            }
            Observe(input, frame);
            if (frame.Command == "ERROR") gotError = true;
            else if (frame.Command == "CONNECTED" && sentinel is null)
            {
                report.Code(input, "stomp first frame CONNECTED", 0, new HashSet<int> { 0 });
                return true;
            }
            else if (frame.Command == "RECEIPT" && sentinel is not null && frame["receipt-id"] == sentinel && !filled) return true;
        }
    }

    private void Observe(FuzzInput input, StompFrame frame)
    {
        report.Trace?.Invoke($"frame: {frame.Command} {string.Join(" ", frame.Headers.Select(h => $"{h.Key}:{h.Value}"))} {FuzzInput.Printable(frame.Body.Span, 300)}");
        if (frame.Command != "MESSAGE" || frame["destination"] != StompDestinations.Errors) return;
        try
        {
            using var body = JsonDocument.Parse(frame.Body);
            if (body.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out var value))
                report.Code(input, "stomp error-queue code", value, DocumentedCodes.StompErrorQueue);
            else report.Fail(input, "error-queue message without an integer code: " + frame.BodyText);
        }
        catch (JsonException)
        {
            report.Fail(input, "error-queue message that is not JSON: " + FuzzInput.Printable(frame.Body.Span));
        }
    }

    private async Task<StompLink?> OpenOrFailAsync(FuzzInput input, string? subprotocol)
    {
        try
        {
            return await StompLink.OpenAsync(SocketUri, subprotocol, timeout);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            report.Fail(input, $"STOMP handshake failed: {e.Message}");
            return null;
        }
    }

    /// <summary>Opens the lane's session: CONNECT without heart-beats, then SUBSCRIBE to the error queue with a receipt.</summary>
    private async Task<StompLink?> OpenSessionAsync(FuzzInput input)
    {
        var link = await OpenOrFailAsync(input, "v12.stomp");
        if (link is null) return null;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await link.SendAsync(Encoding.UTF8.GetBytes(
                $"CONNECT\naccept-version:1.2\nheart-beat:0,0\nide:{token}\ndeviceType:{deviceType}\n\n\0" +
                $"SUBSCRIBE\nid:fz-errors\ndestination:{StompDestinations.Errors}\nreceipt:fz-subscribed\n\n\0"), cancellation: cts.Token);
            while (await link.NextAsync(cts.Token) is { } frame)
            {
                if (frame.Command == "RECEIPT") return link;
                if (frame.Command == "ERROR") break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        report.Fail(input, $"could not open the lane's STOMP session (close {link.CloseCode?.ToString() ?? "none"})");
        await link.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
        _session = null;
    }
}
