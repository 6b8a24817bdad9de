using System.Net.WebSockets;
using System.Text;

// A minimal interactive client for the /ws JSON protocol: every line typed is sent as one text frame,
// every frame received is printed. Usage:
//   dotnet run --project tools/OrleansIm.Client -- --url ws://localhost:9688/ws --token 'Bearer …' [--device im_web]
var url = Arg("--url") ?? "ws://localhost:9688/ws";
var token = Arg("--token");
var device = Arg("--device") ?? "im_web";
if (token is null)
{
    Console.Error.WriteLine("usage: OrleansIm.Client --url ws://host:9688/ws --token 'Bearer …' [--device im_web]");
    return 2;
}

using var socket = new ClientWebSocket();
// Headers, as seed 000 specifies (the server also accepts them as query parameters).
socket.Options.SetRequestHeader("token", token);
socket.Options.SetRequestHeader("deviceType", device);
try
{
    await socket.ConnectAsync(new Uri(url), CancellationToken.None);
}
catch (WebSocketException ex)
{
    Console.Error.WriteLine($"connect failed: {ex.Message}");
    return 1;
}
Console.Error.WriteLine($"connected to {url} as {device}; type JSON frames, one per line (Ctrl-D to quit)");

var reader = Task.Run(async () =>
{
    var buffer = new byte[1 << 16];
    var message = new MemoryStream();
    while (socket.State == WebSocketState.Open)
    {
        WebSocketReceiveResult result;
        try { result = await socket.ReceiveAsync(buffer, CancellationToken.None); }
        catch (WebSocketException) { break; }
        if (result.MessageType == WebSocketMessageType.Close)
        {
            Console.Error.WriteLine($"closed by server: {(int?)result.CloseStatus} {result.CloseStatusDescription}");
            break;
        }
        message.Write(buffer, 0, result.Count);
        if (!result.EndOfMessage) continue;
        Console.WriteLine(Encoding.UTF8.GetString(message.ToArray()));
        message.SetLength(0);
    }
});

while (socket.State == WebSocketState.Open && Console.ReadLine() is { } line)
{
    if (line.Length == 0) continue;
    await socket.SendAsync(Encoding.UTF8.GetBytes(line), WebSocketMessageType.Text, true, CancellationToken.None);
}
if (socket.State == WebSocketState.Open)
{
    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
}
await reader;
return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
