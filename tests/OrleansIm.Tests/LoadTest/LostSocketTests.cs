using OrleansIm.LoadTest;
using OrleansIm.LoadTest.Metrics;
using OrleansIm.LoadTest.Scenarios;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.LoadTest;

/// <summary>
/// The load-test tool counts a socket the server ends as an error, so a run whose receivers were closed (1008 for a
/// client that fell behind, a kick, a drain) cannot report its survivors' figures as a clean run; one the tool closes
/// itself is no error. Against a real node: a second connection of the same device type replaces the first (4409).
/// </summary>
public sealed class LostSocketTests
{
    [Fact]
    public async Task A_socket_the_server_ends_is_an_error_and_one_the_tool_closes_is_not()
    {
        await using var node = await TestNode.StartAsync();
        var settings = LoadTestSettings.Parse(["chat", "--urls", node.BaseUri.GetLeftPart(UriPartial.Authority), "--app-key", TestNode.AppKey, "--plain"]);
        await using var target = await ServerTarget.StartAsync(settings);
        using var context = new ScenarioContext(settings, target, new RunMetrics());
        var user = (await context.LoginUsersAsync("lost", 1))[0];

        var first = await context.ConnectAsync(user, 0, (_, _, _) => { });
        var second = await context.ConnectAsync(user, 0, (_, _, _) => { }); // same device type: the first is replaced
        Assert.NotNull(first);
        Assert.NotNull(second);
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => context.ErrorKinds.Count > 0); // the count comes first, then the kind

        Assert.Equal(1, context.Metrics.Errors);
        Assert.Contains(context.ErrorKinds.Keys, kind => kind.StartsWith("socket lost: close 4409", StringComparison.Ordinal));
        Assert.False(first.ClosedByClient);

        await second.DisposeAsync();
        await second.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300); // the count would follow the close at once
        Assert.True(second.ClosedByClient);
        Assert.Equal(1, context.Metrics.Errors);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
    }
}
