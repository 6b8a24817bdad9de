using OrleansIm.Gateway.Stomp;
using Xunit;

namespace OrleansIm.Tests.Stomp;

public sealed class StompNegotiationTests
{
    [Theory]
    [InlineData(null, 0, 0)]
    [InlineData("0,0", 0, 0)]
    [InlineData("4000,4000", 10000, 10000)] // the slower side wins
    [InlineData("20000,30000", 30000, 20000)]
    [InlineData("1000,0", 0, 10000)] // client does not want heart-beats
    [InlineData("0,1000", 10000, 0)] // client will not send any
    public void Heart_beats_take_the_larger_of_both_sides_unless_one_is_zero(string? client, int serverToClient, int clientToServer)
    {
        Assert.Equal(new StompHeartBeat(serverToClient, clientToServer), StompHeartBeat.Negotiate(client, 10000, 10000));
    }

    [Fact]
    public void A_server_without_heart_beats_negotiates_none()
    {
        Assert.Equal(new StompHeartBeat(0, 0), StompHeartBeat.Negotiate("1000,1000", 0, 0));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1,2,3")]
    [InlineData("-1,5")]
    public void Malformed_heart_beat_is_a_protocol_error(string header)
    {
        Assert.Throws<StompProtocolException>(() => StompHeartBeat.Negotiate(header, 10000, 10000));
    }

    [Theory]
    [InlineData(new[] { "v10.stomp", "v12.stomp", "v11.stomp" }, "v12.stomp")]
    [InlineData(new[] { "v11.stomp", "v10.stomp" }, "v11.stomp")]
    [InlineData(new[] { "V10.STOMP" }, "v10.stomp")]
    [InlineData(new[] { "mqtt" }, null)]
    [InlineData(new string[0], null)]
    public void Subprotocol_prefers_v12(string[] offered, string? expected)
    {
        Assert.Equal(expected, StompNegotiation.ChooseSubprotocol(offered));
    }

    [Theory]
    [InlineData(null, "1.2")]
    [InlineData("1.2,1.1,1.0", "1.2")]
    [InlineData("1.0, 1.1", "1.1")]
    [InlineData("1.0", "1.0")]
    [InlineData("2.0", null)]
    public void Version_is_the_highest_common_one(string? accept, string? expected)
    {
        Assert.Equal(expected, StompNegotiation.ChooseVersion(accept));
    }
}
