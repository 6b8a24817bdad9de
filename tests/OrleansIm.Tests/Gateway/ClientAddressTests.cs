using System.Net;
using Microsoft.AspNetCore.Http;
using OrleansIm.Gateway.RateLimits;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", true, "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", true, "203.0.113.7")] // an IPv4 client on a dual-stack socket counts as itself
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", true, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:1:1:1:1", true, "2001:db8:1:2::/64")] // same /64, same bucket
    [InlineData("127.0.0.1", true, null)]
    [InlineData("127.8.9.10", true, null)]
    [InlineData("::1", true, null)]
    [InlineData("::ffff:127.0.0.1", true, null)]
    [InlineData("127.0.0.1", false, "127.0.0.1")]
    public void Keys_ipv4_by_address_ipv6_by_64_prefix_and_exempts_loopback_when_asked(string remote, bool exemptLoopback, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        Assert.Equal(expected, ClientAddress.Key(context, exemptLoopback));
    }
}
