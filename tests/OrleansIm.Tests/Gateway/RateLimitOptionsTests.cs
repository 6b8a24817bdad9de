using Microsoft.Extensions.Options;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class RateLimitOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_exempt_loopback()
    {
        var defaults = new RateLimitOptions();
        Assert.True(new RateLimitOptionsValidator().Validate(null, defaults).Succeeded);
        Assert.True(defaults.ExemptLoopback);
        // The benchmark pushes ~1000 msgs/s over one connection: the per-connection and per-user defaults stay above that.
        Assert.True(defaults.FramesPerConnection.TokensPerSecond >= 2000);
        Assert.True(defaults.SendsPerUser.TokensPerSecond >= 2000);
    }

    [Theory]
    [InlineData("FramesPerConnection", "5", "0")]
    [InlineData("SendsPerUser", "-1", "10")]
    public async Task A_node_with_a_nonsensical_limit_refuses_to_start_naming_the_setting(string name, string tokenLimit, string perSecond)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{RateLimitSettings.Section}:{name}:TokenLimit"] = tokenLimit,
            [$"{RateLimitSettings.Section}:{name}:TokensPerSecond"] = perSecond,
        };
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await TestNode.StartAsync(settings)).DisposeAsync());
        Assert.Contains($"Gateway:RateLimits:{name}", refused.Message);
    }

    [Fact]
    public void A_negative_rejection_count_or_an_empty_window_is_refused()
    {
        var result = new RateLimitOptionsValidator().Validate(null, new RateLimitOptions { FrameRejectionsBeforeClose = -1, FrameRejectionWindow = TimeSpan.Zero });
        Assert.True(result.Failed);
        Assert.Contains("FrameRejectionsBeforeClose", result.FailureMessage);
        Assert.Contains("FrameRejectionWindow", result.FailureMessage);
    }
}
