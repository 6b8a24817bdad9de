using System.Diagnostics;
using System.Net.WebSockets;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Stomp;

/// <summary>
/// STOMP sockets are accepted before authentication, so they must not linger: no CONNECT within
/// Gateway:StompConnectTimeout closes the socket (heart-beat EOLs do not keep it open), and a client's heart-beat
/// promise cannot stretch the silence allowed beyond Gateway:IdleTimeout.
/// </summary>
public sealed class StompLimitsTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:StompConnectTimeout"] = "00:00:01",
        ["Gateway:IdleTimeout"] = "00:00:02",
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_socket_that_never_sends_connect_is_closed_even_if_it_sends_heart_beats()
    {
        await using var client = await StompTestClient.OpenAsync(_node.BaseUri, "", "v12.stomp");
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var beats = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await client.SendAsync("\n"); } catch (Exception) { return; }
                await Task.Delay(200);
            }
        });

        var error = await client.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ERROR", error.Command);
        Assert.Contains("CONNECT", error["message"]);
        Assert.Equal((WebSocketCloseStatus)4401, await client.WaitClosedAsync());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(8));
        stop.Cancel();
        await beats;
    }

    [Fact]
    public async Task A_huge_client_heart_beat_does_not_stretch_the_idle_timeout()
    {
        var user = NodeFixture.NewUserId("hb");
        var token = await _node.LoginAsync(user);
        await using var client = await StompTestClient.OpenAsync(_node.BaseUri, $"userId={user}", "v12.stomp");
        await client.SendAsync($"CONNECT\naccept-version:1.2\nide:{token}\nheart-beat:2147483647,0\n\n\0");
        Assert.Equal("CONNECTED", (await client.NextAsync()).Command);

        // Silent from now on: closed after the 2 s idle timeout, not after 2 × 2147483647 ms.
        var clock = Stopwatch.StartNew();
        var closed = await client.WaitClosedAsync();
        Assert.Equal((WebSocketCloseStatus)4408, closed);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
    }
}
