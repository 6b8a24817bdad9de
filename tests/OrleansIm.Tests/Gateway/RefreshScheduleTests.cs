using OrleansIm.Gateway.Sockets;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class RefreshScheduleTests
{
    [Fact]
    public void A_refresh_is_due_every_interval_or_at_once_when_requested_and_never_twice_at_a_time()
    {
        var schedule = new RefreshSchedule(TimeSpan.FromSeconds(60));
        var now = Environment.TickCount64;
        Assert.False(schedule.TryStart(now));
        Assert.True(schedule.TryStart(now + 61_000));
        // Running: not again, due or not.
        Assert.False(schedule.TryStart(now + 200_000));
        schedule.Finish();
        // The next one is an interval after the last start.
        Assert.False(schedule.TryStart(now + 62_000));
        schedule.Request();
        Assert.True(schedule.TryStart(now + 62_000));
        schedule.Finish();
        Assert.False(schedule.TryStart(now + 63_000));
    }

    [Fact]
    public async Task Stopping_waits_for_the_running_refresh_and_none_starts_after()
    {
        var schedule = new RefreshSchedule(TimeSpan.FromSeconds(60));
        schedule.Request();
        Assert.True(schedule.TryStart(Environment.TickCount64));
        var stopped = schedule.StopAsync();
        await Task.Delay(50);
        Assert.False(stopped.IsCompleted);
        schedule.Finish();
        await stopped.WaitAsync(TimeSpan.FromSeconds(10));

        schedule.Request();
        Assert.False(schedule.TryStart(Environment.TickCount64 + 600_000));
    }
}
