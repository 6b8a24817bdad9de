using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Sockets;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class ConnectionTickerTests
{
    [Fact]
    public void The_period_is_a_quarter_of_the_shortest_duty_between_50_ms_and_1_s()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), ConnectionTicker.PeriodFor(new GatewayOptions()));
        Assert.Equal(TimeSpan.FromMilliseconds(375), ConnectionTicker.PeriodFor(new GatewayOptions { IdleTimeout = TimeSpan.FromMilliseconds(1500) }));
        Assert.Equal(TimeSpan.FromMilliseconds(250), ConnectionTicker.PeriodFor(new GatewayOptions { SendTimeout = TimeSpan.FromSeconds(1) }));
        Assert.Equal(TimeSpan.FromMilliseconds(50), ConnectionTicker.PeriodFor(new GatewayOptions { ObserverRefreshInterval = TimeSpan.FromMilliseconds(10) }));
    }

    [Fact]
    public async Task Registered_connections_are_ticked_and_removed_ones_no_more()
    {
        var options = Options.Create(new GatewayOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        using var ticker = new ConnectionTicker(options, TimeProvider.System, NullLogger<ConnectionTicker>.Instance);
        var first = new CountingConnection();
        var second = new CountingConnection();
        var failing = new CountingConnection { Fail = true };
        ticker.Add(first);
        ticker.Add(failing);
        ticker.Add(second);

        // A connection whose tick throws does not stop the others.
        await Eventually.True(() => first.Ticks >= 3 && second.Ticks >= 3 && failing.Ticks >= 3, because: "all three are ticked");
        ticker.Remove(first);
        await Task.Delay(ticker.Period * 2);
        var after = first.Ticks;
        await Eventually.True(() => second.Ticks >= after + 3, because: "the others go on");
        Assert.InRange(first.Ticks, after, after);
        Assert.Equal(2, ticker.Count);
    }

    private sealed class CountingConnection : ITickedConnection
    {
        private int _ticks;

        public bool Fail { get; init; }

        public int Ticks => Volatile.Read(ref _ticks);

        public void Tick(long nowMs)
        {
            Interlocked.Increment(ref _ticks);
            if (Fail) throw new InvalidOperationException("tick failed");
        }
    }
}
