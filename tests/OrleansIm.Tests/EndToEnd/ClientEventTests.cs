using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>Named client events (IUserGrain.Notify → IClientObserver.OnEvent) reach both dialects' sockets.</summary>
public sealed class ClientEventTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_event_reaches_every_device_of_the_user_but_the_excepted_one()
    {
        var user = NodeFixture.NewUserId("ev");
        var token = await Node.LoginAsync(user);
        await using var web = await Node.ConnectAsync(token, "im_web");
        await using var mac = await Node.ConnectAsync(token, "im_pc_mac");
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}&deviceType=im_pc_win", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token, "im_pc_win")).Command);
        await stomp.SendAsync("SUBSCRIBE\nid:e1\ndestination:/user/queue/event/updateSession\nreceipt:r1\n\n\0");
        Assert.Equal("RECEIPT", (await stomp.NextAsync()).Command);

        var grain = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user);
        var sessions = await grain.GetDeviceSessions();
        var macConnection = sessions.Single(s => s.DeviceType == "im_pc_mac").ConnectionId;

        await grain.Notify(new ClientEvent("updateSession", """{"id":"p2p-x","unread":3}"""), macConnection);

        var frame = await web.WaitForTypeAsync("updateSession");
        Assert.Equal(3, frame.GetProperty("data").GetProperty("unread").GetInt32());
        var message = await stomp.NextAsync();
        Assert.Equal("MESSAGE", message.Command);
        Assert.Equal("/user/queue/event/updateSession", message["destination"]);
        Assert.Equal("p2p-x", JsonDocument.Parse(message.BodyText).RootElement.GetProperty("id").GetString());
        await Assert.ThrowsAsync<TimeoutException>(() => mac.WaitForTypeAsync("updateSession", null, TimeSpan.FromMilliseconds(500)));
    }
}
