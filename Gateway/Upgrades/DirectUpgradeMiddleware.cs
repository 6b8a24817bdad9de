using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Gateway.Upgrades;

/// <summary>
/// Kestrel connection middleware, first on the client endpoint. It peeks at a new connection's first bytes: a
/// <c>GET</c> of one of <see cref="SocketUpgrades.Paths"/> is read here (<see cref="UpgradeRequestHead"/>) and run
/// through <see cref="SocketUpgradePipeline"/> with a request built from it; any other connection goes on to Kestrel's
/// HTTP stack untouched, the peeked bytes still unread. A refusal (401, 403, 429, 503…) is written as an HTTP/1.1
/// response with <c>Connection: close</c>; an accepted socket runs on the raw connection until it ends.
/// </summary>
public sealed class DirectUpgradeMiddleware(
    ConnectionDelegate next,
    SocketUpgradePipeline pipeline,
    UpgradeLimits limits,
    IServiceProvider services,
    ILogger<DirectUpgradeMiddleware> logger)
{
    /// <summary>Bytes enough to tell "GET /imserver/ws?" from anything else.</summary>
    private const int PeekBytes = 32;

    /// <summary>Open sockets, held to Kestrel's MaxConcurrentUpgradedConnections: Kestrel counts only upgrades its HTTP/1 made.</summary>
    private long _upgraded;

    public async Task InvokeAsync(ConnectionContext connection)
    {
        if (pipeline.Pipeline is not { } requests)
        {
            await next(connection);
            return;
        }

        var (head, refusal) = await ReadHeadAsync(connection.Transport.Input);
        if (head is null)
        {
            if (refusal == 0)
            {
                await next(connection);
                return;
            }
            logger.LogDebug("Connection {ConnectionId}: socket upgrade request refused with {Status}", connection.ConnectionId, refusal);
            await WriteResponseAsync(connection.Transport.Output, refusal, null, ErrorBody(refusal));
            return;
        }
        var upgradable = Interlocked.Increment(ref _upgraded) <= (limits.MaxUpgradedConnections ?? long.MaxValue);
        try
        {
            if (!upgradable) logger.LogWarning("Connection {ConnectionId}: no socket upgrade past Kestrel:Limits:MaxConcurrentUpgradedConnections ({Limit})", connection.ConnectionId, limits.MaxUpgradedConnections);
            // The handshake's frames (the head, its headers and token) end with it; this frame then lasts as long as the
            // socket, so it keeps no part of the request: the head is not used past the handshake's await, and an
            // optimized build keeps only locals used across an await in the frame (a head kept per socket cost ~1 KB,
            // its token included). One frame, not a second method for the run: ~130 B less per idle socket (issue 12).
            if (await ServeAsync(connection, head, requests, upgradable) is not { } served) return;
            try
            {
                if (served.Running is not null) await served.Running;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Connection {ConnectionId}: socket failed", connection.ConnectionId);
            }
            // Aborted (a stuck send, an unanswered close): drop the connection rather than wait for its output to drain.
            if (served.Socket.State != WebSocketState.Closed) connection.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _upgraded);
        }
    }

    /// <summary>
    /// The head of a request for a socket path; (null, 0) for any other connection, which is left unread for HTTP/1;
    /// (null, status) for a socket request refused before it is parsed (malformed, too large, too slow).
    /// </summary>
    private async Task<(UpgradeRequestHead? Head, int Refusal)> ReadHeadAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(limits.FirstBytesTimeout);
        ReadResult result;
        ReadOnlySequence<byte> buffer;
        long examined = 0;
        while (true)
        {
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return (null, 0); // Nothing sent in time: HTTP/1 closes it as it closes any idle connection.
            }
            buffer = result.Buffer;
            var socketRequest = IsSocketRequest(buffer);
            if (socketRequest is null && !result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                examined = buffer.Length;
                continue;
            }
            if (socketRequest == true) break;
            // Unread, and only what was seen before this read counts as examined: HTTP/1 gets it all at its first read.
            input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            return (null, 0);
        }

        timeout.CancelAfter(limits.HeadTimeout);
        while (true)
        {
            var head = UpgradeRequestHead.TryParse(buffer, limits, out var end, out var refusal);
            if (head is not null)
            {
                input.AdvanceTo(end);
                return (head, 0);
            }
            if (refusal != 0 || result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return (null, result.IsCompleted && refusal == 0 ? StatusCodes.Status400BadRequest : refusal);
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return (null, StatusCodes.Status408RequestTimeout);
            }
            buffer = result.Buffer;
        }
    }

    /// <summary>Runs the request through the socket pipeline: the accepted socket and its handed-over run, or null once a refusal is written.</summary>
    private async Task<(WebSocket Socket, Task? Running)?> ServeAsync(ConnectionContext connection, UpgradeRequestHead head, RequestDelegate requests, bool upgradable)
    {
        var webSocket = new DirectWebSocketFeature(connection, head, upgradable);
        var response = new HttpResponseFeature();
        var body = new MemoryStream();
        try
        {
            // The request scope ASP.NET Core's hosting would open (docs/operations.md § Logs); the socket's run, started
            // inside, keeps it for every line it logs.
            using (logger.BeginScope(new RequestScope(connection.ConnectionId, Array.Find(SocketUpgrades.Paths, p => p.Equals(head.Path, StringComparison.OrdinalIgnoreCase)) ?? head.Path)))
            {
                await requests(NewRequest(connection, head, webSocket, response, body));
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Connection {ConnectionId}: the socket upgrade of {Path} failed", connection.ConnectionId, head.Path);
            if (webSocket.Socket is null)
            {
                await WriteResponseAsync(connection.Transport.Output, StatusCodes.Status500InternalServerError, null, ErrorBody(500));
                return null;
            }
        }
        if (webSocket.Socket is { } socket) return (socket, webSocket.Running);
        await WriteResponseAsync(connection.Transport.Output, response.StatusCode, response.Headers, body.ToArray());
        return null;
    }

    private HttpContext NewRequest(ConnectionContext connection, UpgradeRequestHead head, DirectWebSocketFeature webSocket, HttpResponseFeature response, Stream body)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = HttpProtocol.Http11,
            Scheme = connection.Features.Get<ITlsHandshakeFeature>() is null ? "http" : "https",
            Method = head.Method,
            Path = head.Path,
            QueryString = head.QueryString,
            RawTarget = head.RawTarget,
            Headers = head.Headers,
        });
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        var remote = connection.RemoteEndPoint as IPEndPoint;
        var local = connection.LocalEndPoint as IPEndPoint;
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = connection.ConnectionId,
            RemoteIpAddress = remote?.Address,
            RemotePort = remote?.Port ?? 0,
            LocalIpAddress = local?.Address,
            LocalPort = local?.Port ?? 0,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = connection.ConnectionClosed });
        features.Set<IHttpWebSocketFeature>(webSocket);
        return new DefaultHttpContext(features) { RequestServices = services };
    }

    /// <summary>True for "GET " and a socket path followed by a space or '?'; null while too few bytes have come to tell.</summary>
    private static bool? IsSocketRequest(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[PeekBytes];
        var seen = start[..(int)Math.Min(buffer.Length, PeekBytes)];
        buffer.Slice(0, seen.Length).CopyTo(seen);
        var undecided = false;
        foreach (var path in SocketUpgrades.Paths)
        {
            var length = "GET ".Length + path.Length + 1;
            var matches = true;
            for (var i = 0; i < Math.Min(seen.Length, length) && matches; i++)
            {
                var b = seen[i];
                matches = i < 4 ? b == "GET "[i]
                    : i < length - 1 ? char.ToLowerInvariant((char)b) == path[i - 4]
                    : b is (byte)' ' or (byte)'?';
            }
            if (!matches) continue;
            if (seen.Length >= length) return true;
            undecided = true;
        }
        return undecided ? null : false;
    }

    /// <summary>RequestId (the connection's id: one request per connection here) and RequestPath, never the query string.</summary>
    private sealed class RequestScope(string requestId, string requestPath) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("RequestId", requestId),
            1 => new("RequestPath", requestPath),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestPath:{requestPath} RequestId:{requestId}";
    }

    private static byte[] ErrorBody(int status) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        code = status,
        msg = ReasonPhrases.GetReasonPhrase(status),
        data = (object?)null,
    });

    /// <summary>A whole response, then the connection closes (no keep-alive after a refused upgrade).</summary>
    private static async Task WriteResponseAsync(PipeWriter output, int status, IHeaderDictionary? headers, byte[] body)
    {
        var head = new StringBuilder("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n");
        if (headers is not null)
        {
            foreach (var (name, values) in headers)
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var value in values) head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }
        if (headers?.ContentType.Count is not > 0 && body.Length > 0) head.Append("Content-Type: application/json; charset=utf-8\r\n");
        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        output.Write(Encoding.ASCII.GetBytes(head.ToString()));
        output.Write(body);
        await output.FlushAsync();
    }
}
