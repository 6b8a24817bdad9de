using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;

namespace OrleansIm.Tests.Auth;

/// <summary>/ws handshakes with seed 002's authType/account parameters, and refused ones read as HTTP (status and body code).</summary>
public static class Handshake
{
    /// <summary>A /ws connection with the given handshake headers (null values are left out).</summary>
    public static async Task<ImSocket> ConnectAsync(TestNode node, params (string Name, string? Value)[] headers)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers)
            if (value is not null) socket.Options.SetRequestHeader(name, value);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(node.WsUri, timeout.Token);
        return new ImSocket(socket);
    }

    /// <summary>
    /// Sends a WebSocket upgrade request as plain HTTP, so a refusal's body can be read (ClientWebSocket only exposes
    /// the status); returns the HTTP status and the body's code.
    /// </summary>
    public static async Task<(HttpStatusCode Status, int Code)> RefusalAsync(TestNode node, params (string Name, string? Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        foreach (var (name, value) in headers)
            if (value is not null) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await node.Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
            throw new InvalidOperationException("The handshake was accepted.");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("code").GetInt32());
    }
}
