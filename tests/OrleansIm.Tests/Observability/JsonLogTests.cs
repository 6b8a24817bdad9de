using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Observability;

/// <summary>
/// The real Silo executable, run as a child process with <c>Logging:Console:FormatterName=json</c>: every line it
/// prints is one JSON object with a UTC timestamp, a connection's lines carry its id in their scopes, and the
/// token a browser put in the /ws query string appears in no line.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task Json_console_logs_are_one_object_per_line_with_the_connection_id_in_scope_and_no_token()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleansim-jsonlog-" + Guid.NewGuid().ToString("N")[..12]);
        var port = FreePort();
        var lines = new ConcurrentQueue<string>();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "OrleansIm.Silo.dll"),
            $"--Storage:DataDirectory={directory}", "--Gateway:Host=127.0.0.1", $"--Gateway:Port={port}",
            "--Logging:Console:FormatterName=json",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Information",
        }) startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.True(async () =>
            {
                try
                {
                    using var response = await http.GetAsync("/health/ready");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, timeout: TimeSpan.FromSeconds(60), because: "the node starts");

            var userId = NodeFixture.NewUserId("jsonlog");
            using var login = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
            {
                Headers = { { "X-App-Key", TestNode.AppKey } },
                Content = new StringContent(JsonSerializer.Serialize(new { id = userId, nickname = "J" }), Encoding.UTF8, "application/json"),
            });
            var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("token").GetString()!;
            var signature = token["Bearer ".Length..].Split('.')[2];

            using (var socket = new ClientWebSocket())
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws?token={Uri.EscapeDataString(token)}&deviceType=im_web"), CancellationToken.None);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            await Eventually.True(() => lines.Any(l => l.Contains("disconnected from", StringComparison.Ordinal)),
                timeout: TimeSpan.FromSeconds(30), because: "the connection's end is logged");

            var entries = lines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.All(entries, e =>
            {
                Assert.True(DateTimeOffset.TryParse(e.GetProperty("Timestamp").GetString(), out var time) && time.Offset == TimeSpan.Zero);
                Assert.False(string.IsNullOrEmpty(e.GetProperty("Category").GetString()));
                Assert.False(string.IsNullOrEmpty(e.GetProperty("LogLevel").GetString()));
            });

            var connected = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith($"User {userId} connected on im_web", StringComparison.Ordinal));
            var connectionId = connected.GetProperty("State").GetProperty("ConnectionId").GetString();
            var scope = Assert.Single(connected.GetProperty("Scopes").EnumerateArray(), s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("ConnId", out _));
            Assert.Equal(connectionId, scope.GetProperty("ConnId").GetString());
            Assert.Equal(userId, scope.GetProperty("UserId").GetString());
            // ASP.NET Core's request scope is there too: request id and path, without the query string.
            Assert.Contains(connected.GetProperty("Scopes").EnumerateArray(), s => s.ValueKind == JsonValueKind.Object
                && s.TryGetProperty("RequestPath", out var path) && path.GetString() == "/ws");

            Assert.DoesNotContain(lines, l => l.Contains(signature, StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
