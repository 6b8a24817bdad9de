using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace OrleansIm.Gateway.Upgrades;

/// <summary>
/// <c>context.WebSockets</c> for a request read by <see cref="DirectUpgradeMiddleware"/>: accepting answers 101 on the
/// raw connection and wraps its pipes in a server <see cref="WebSocket"/>. An endpoint then hands the socket's run
/// over (<see cref="SocketUpgrades.RunAsync"/>) and returns, so the request — its headers, query, token and
/// middleware frames — is garbage once the handshake is over.
/// </summary>
public sealed class DirectWebSocketFeature : IHttpWebSocketFeature
{
    // RFC 6455 §1.3.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly ConnectionContext _connection;
    private readonly string? _key;

    /// <param name="upgradable">False past Kestrel's upgraded-connection limit: then, as on Kestrel's HTTP/1 route, the request is no WebSocket request.</param>
    public DirectWebSocketFeature(ConnectionContext connection, UpgradeRequestHead request, bool upgradable = true)
    {
        _connection = connection;
        var headers = request.Headers;
        if (upgradable
            && request.Method == HttpMethods.Get
            && HasToken(headers.Connection, "upgrade")
            && HasToken(headers.Upgrade, "websocket")
            && headers.SecWebSocketVersion.ToString() == "13"
            && IsValidKey(headers.SecWebSocketKey.ToString()))
        {
            _key = headers.SecWebSocketKey.ToString();
        }
    }

    public bool IsWebSocketRequest => _key is not null;

    /// <summary>The accepted socket, once <see cref="AcceptAsync"/> ran.</summary>
    public WebSocket? Socket { get; private set; }

    /// <summary>The socket's run, when the endpoint handed it over instead of awaiting it.</summary>
    public Task? Running { get; private set; }

    public async Task<WebSocket> AcceptAsync(WebSocketAcceptContext context)
    {
        if (_key is null) throw new InvalidOperationException("Not a WebSocket request.");
        if (Socket is not null) throw new InvalidOperationException("The WebSocket was already accepted.");
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ")
            .Append(Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(_key + AcceptGuid))))
            .Append("\r\n");
        if (!string.IsNullOrEmpty(context.SubProtocol)) response.Append("Sec-WebSocket-Protocol: ").Append(context.SubProtocol).Append("\r\n");
        response.Append("\r\n");
        var output = _connection.Transport.Output;
        output.Write(Encoding.ASCII.GetBytes(response.ToString()));
        await output.FlushAsync();
        Socket = WebSocket.CreateFromStream(new DuplexPipeStream(_connection.Transport), new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = context.SubProtocol,
            KeepAliveInterval = context.KeepAliveInterval ?? SocketUpgrades.KeepAliveInterval,
        });
        return Socket;
    }

    /// <summary>Takes over the socket's run; the middleware awaits it after the request has completed.</summary>
    public void HandOver(Task running)
    {
        if (Socket is null || Running is not null) throw new InvalidOperationException("Only an accepted socket's run is handed over, once.");
        Running = running;
    }

    private static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }

    /// <summary>RFC 6455 §4.1: a base64-encoded 16-byte nonce.</summary>
    private static bool IsValidKey(string key)
    {
        Span<byte> nonce = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, nonce, out var length) && length == 16;
    }
}
