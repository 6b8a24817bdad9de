using OrleansIm.LoadTest;
using Xunit;

namespace OrleansIm.Tests.LoadTest;

/// <summary>The load-test tool's command line: options with their defaults, and a clear message for bad input
/// (the tool then exits with code 2 and its usage).</summary>
public sealed class LoadTestSettingsTests
{
    [Fact]
    public void Options_are_read_and_the_rest_keep_their_defaults()
    {
        var settings = LoadTestSettings.Parse(["group", "--urls", "http://127.0.0.1:9688, http://127.0.0.1:9689", "--group-size", "50", "--rate", "2500",
            "--ramp-up", "5", "--warm-up", "3", "--floor", "--node-arg", "--Gateway:RateLimits:SendsPerUser:TokenLimit=0"]);

        Assert.Equal("group", settings.Scenario);
        Assert.Equal(["http://127.0.0.1:9688", "http://127.0.0.1:9689"], settings.Urls);
        Assert.Equal(50, settings.GroupSize);
        Assert.Equal(2500, settings.Rate);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RampUp);
        Assert.Equal(TimeSpan.FromSeconds(13), settings.RunTime); // the warm-up, then the 10 s measured by default
        Assert.True(settings.Floor);
        Assert.Equal(["--Gateway:RateLimits:SendsPerUser:TokenLimit=0"], settings.NodeArguments);
        Assert.Equal(100, settings.Users);
        Assert.Equal(4, settings.Window);
        Assert.Equal("keyAbcd123", settings.AppKey);
        Assert.True(settings.Check);
    }

    [Theory]
    [InlineData("Unknown scenario", "chatt")]
    [InlineData("exactly one scenario")]
    [InlineData("takes a whole number", "chat", "--users", "many")]
    [InlineData("needs a value", "chat", "--duration")]
    [InlineData("Unknown option", "chat", "--pairs", "3")]
    [InlineData("--floor is for", "presence", "--floor")]
    [InlineData("not an http(s) URL", "chat", "--urls", "ws://127.0.0.1:9688")]
    [InlineData("5000 characters", "chat", "--message-bytes", "6000")]
    [InlineData("--transient is for", "presence", "--transient")]
    [InlineData("--warm-up is for", "call", "--warm-up", "5")]
    [InlineData("takes a number", "chat", "--warm-up", "-1")]
    public void Bad_command_lines_are_refused_with_a_message(string message, params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadTestSettings.Parse(args));
        Assert.Contains(message, error.Message);
    }
}
