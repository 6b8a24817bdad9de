using Microsoft.Extensions.Logging.Abstractions;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Sockets;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class ClientConnectionTests
{
    [Fact]
    public void A_full_outgoing_queue_gives_up_on_the_client_instead_of_growing()
    {
        var connection = new ClientConnection("c1", "u1", "im_web", new GatewayOptions { OutgoingQueueBytes = 2 }, NullLogger.Instance);
        Assert.True(connection.TryEnqueue([1]));
        Assert.True(connection.TryEnqueue([2]));
        Assert.False(connection.TryEnqueue([3]));
        Assert.True(connection.IsClosing);
        Assert.False(connection.TryEnqueue([4]));
    }

    [Fact]
    public void Close_is_idempotent_and_stops_further_frames()
    {
        var connection = new ClientConnection("c1", "u1", "im_web", new GatewayOptions(), NullLogger.Instance);
        connection.Close(WebSocketCloseCodes.Replaced, "replaced", [1]);
        connection.Close(WebSocketCloseCodes.Banned, "banned");
        Assert.True(connection.IsClosing);
        Assert.False(connection.TryEnqueue([2]));
    }
}
