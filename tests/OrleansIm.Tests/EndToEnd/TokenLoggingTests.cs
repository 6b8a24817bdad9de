using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Tokens never reach the logs, even with ASP.NET Core's logs turned up to Information: browsers put the token in
/// the /ws query string, and ASP.NET Core's request log prints whole URLs.
/// </summary>
public sealed class TokenLoggingTests
{
    [Fact]
    public async Task A_token_in_the_ws_query_string_is_not_logged()
    {
        var captured = new ConcurrentQueue<string>();
        await using var node = await TestNode.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" },
            services => services.AddSingleton<ILoggerProvider>(new CapturingProvider(captured)));
        var token = await node.LoginAsync(NodeFixture.NewUserId("log"));
        var secretPart = token["Bearer ".Length..].Split('.')[2]; // the signature: in no log line, whatever the format

        using (var socket = new System.Net.WebSockets.ClientWebSocket())
        {
            var uri = new UriBuilder(node.WsUri) { Query = $"token={Uri.EscapeDataString(token)}&deviceType=im_web" }.Uri;
            await socket.ConnectAsync(uri, CancellationToken.None);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        await Eventually.True(() => captured.Any(line => line.Contains("disconnected", StringComparison.OrdinalIgnoreCase)), because: "the connection was logged");

        Assert.NotEmpty(captured);
        Assert.DoesNotContain(captured, line => line.Contains(secretPart, StringComparison.Ordinal));
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
