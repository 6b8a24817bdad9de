using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Grains;

public sealed class UserGrainTests
{
    [Fact]
    public async Task Login_creates_profile_and_updates_it()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = im.User("alice");
        Assert.Null(await user.GetProfile());

        var first = await user.Login(new LoginRequest("Alice", "http://a/1.png", DeviceTypes.Web, "{\"level\":1}"));
        Assert.Equal("alice", first.Id);
        Assert.Equal(UserStatuses.Normal, first.UserStatus);
        Assert.True(first.LastLoginTime > 0);

        // Omitted optional fields keep their stored values.
        var second = await user.Login(new LoginRequest("Alice2", null, null, null));
        Assert.Equal("Alice2", second.Nickname);
        Assert.Equal("http://a/1.png", second.Avatar);
        Assert.Equal("{\"level\":1}", second.ExtrasJson);
        Assert.Equal(second, await user.GetProfile());
    }

    [Fact]
    public async Task Login_rejects_invalid_user_id_and_missing_nickname()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidUserId, () => im.User("bad id!").Login(new LoginRequest("x", null, null, null)));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.MissingParameter, () => im.User("ok").Login(new LoginRequest(" ", null, null, null)));
    }

    [Fact]
    public async Task Connect_unknown_user_is_211()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.UnknownUser, () => im.ConnectAsync("ghost", DeviceTypes.Web, "c1"));
    }

    [Fact]
    public async Task Same_device_type_kicks_old_connection_and_keeps_new_one()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var old = await im.ConnectAsync("bob", DeviceTypes.Web, "c1");
        var replacement = await im.ConnectAsync("bob", DeviceTypes.Web, "c2");

        await old.WaitUntilAsync(o => o.Kicks.Count == 1, "old connection kicked");
        Assert.Equal(new KickNotice("c1", DeviceTypes.Web, KickReasons.Replaced, DeviceTypes.Web, "c2"), old.Kicks[0]);

        // The new connection is the one that receives messages now, and was not kicked.
        await user.Deliver(Message("conv1", 1, from: "carol"));
        await replacement.WaitUntilAsync(o => o.Messages.Count == 1, "message on the new connection");
        Assert.Empty(replacement.Kicks);
        Assert.Empty(old.Messages);
        Assert.Equal([DeviceTypes.Web], await user.GetOnlineDevices());
    }

    [Fact]
    public async Task Reconnect_with_same_connection_id_is_a_refresh_not_a_kick()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var observer = new TestClientObserver();
        var reference = im.Reference(observer);
        await user.Connect(new DeviceSession(DeviceTypes.Web, "c1", reference));
        await user.Connect(new DeviceSession(DeviceTypes.Web, "c1", reference));

        await user.Deliver(Message("conv1", 1, from: "carol"));
        await observer.WaitUntilAsync(o => o.Messages.Count == 1, "message after refresh");
        Assert.Empty(observer.Kicks);
    }

    [Fact]
    public async Task Different_device_types_coexist()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var web = await im.ConnectAsync("bob", DeviceTypes.Web, "c1");
        var ios = await im.ConnectAsync("bob", DeviceTypes.Ios, "c2");

        Assert.Equal([DeviceTypes.Ios, DeviceTypes.Web], (await user.GetOnlineDevices()).Order());
        await user.Deliver(Message("conv1", 1, from: "carol"));
        await web.WaitUntilAsync(o => o.Messages.Count == 1, "web gets the message");
        await ios.WaitUntilAsync(o => o.Messages.Count == 1, "ios gets the message");
        Assert.Empty(web.Kicks);
        Assert.Empty(ios.Kicks);
    }

    [Fact]
    public async Task Stale_disconnect_is_ignored()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        await im.ConnectAsync("bob", DeviceTypes.Web, "c1");
        await im.ConnectAsync("bob", DeviceTypes.Web, "c2");

        await user.Disconnect(DeviceTypes.Web, "c1"); // the replaced socket closing late
        Assert.Equal(PresenceStatus.Online, (await user.GetPresence()).Status);

        await user.Disconnect(DeviceTypes.Web, "c2");
        Assert.Equal(PresenceStatus.Offline, (await user.GetPresence()).Status);
        Assert.Empty(await user.GetOnlineDevices());
    }

    [Fact]
    public async Task Presence_flips_are_pushed_to_watchers()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var watcher = new TestClientObserver();
        await user.WatchPresence(im.Reference(watcher));

        await im.ConnectAsync("bob", DeviceTypes.Web, "c1");
        await watcher.WaitUntilAsync(o => o.Presence.Count == 1, "ONLINE pushed");
        Assert.Equal(("bob", PresenceStatus.Online), (watcher.Presence[0].UserId, watcher.Presence[0].Status));

        // A second device is not a flip; losing both is.
        await im.ConnectAsync("bob", DeviceTypes.Ios, "c2");
        await user.Disconnect(DeviceTypes.Web, "c1");
        await user.Disconnect(DeviceTypes.Ios, "c2");
        await watcher.WaitUntilAsync(o => o.Presence.Count >= 2, "OFFLINE pushed");
        Assert.Equal(
            [("bob", PresenceStatus.Online), ("bob", PresenceStatus.Offline)],
            watcher.Presence.Select(p => (p.UserId, p.Status)));
        // Versioned so a gateway can put flips that overtook each other back in order (PresenceOrder).
        Assert.True(watcher.Presence[0].Version > 0 && watcher.Presence[1].Version > watcher.Presence[0].Version);
    }

    [Fact]
    public async Task Unrefreshed_device_expires_and_presence_goes_offline()
    {
        await using var im = await ImGrainsHarness.StartAsync(o =>
        {
            o.DeviceExpiry = TimeSpan.FromMilliseconds(300);
            o.SweepPeriod = TimeSpan.FromMilliseconds(100);
        });
        var user = await im.LoginAsync("bob");
        var watcher = new TestClientObserver();
        await user.WatchPresence(im.Reference(watcher));
        await im.ConnectAsync("bob", DeviceTypes.Web, "c1");

        await watcher.WaitUntilAsync(o => o.Presence.Any(p => p.Status == PresenceStatus.Offline), "OFFLINE after expiry");
        Assert.Empty(await user.GetOnlineDevices());
    }

    [Fact]
    public async Task Device_whose_observer_is_gone_is_dropped_on_delivery()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var watcher = new TestClientObserver();
        await user.WatchPresence(im.Reference(watcher));
        var gone = im.Reference(new TestClientObserver());
        await user.Connect(new DeviceSession(DeviceTypes.Web, "c1", gone));
        im.Grains.DeleteObjectReference<IClientObserver>(gone); // the gateway lost the socket without telling us

        await user.Deliver(Message("conv1", 1, from: "carol"));

        await watcher.WaitUntilAsync(o => o.Presence.Any(p => p.Status == PresenceStatus.Offline), "OFFLINE after the failed delivery");
        Assert.Empty(await user.GetOnlineDevices());
    }

    [Fact]
    public async Task Ban_kicks_every_device_and_blocks_login_and_connect()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var web = await im.ConnectAsync("bob", DeviceTypes.Web, "c1");
        var ios = await im.ConnectAsync("bob", DeviceTypes.Ios, "c2");

        await user.SetUserStatus(UserStatuses.Banned);

        await web.WaitUntilAsync(o => o.Kicks.Count == 1, "web kicked");
        await ios.WaitUntilAsync(o => o.Kicks.Count == 1, "ios kicked");
        Assert.Equal(KickReasons.Banned, web.Kicks[0].Reason);
        Assert.Equal(new KickNotice("c2", DeviceTypes.Ios, KickReasons.Banned), ios.Kicks[0]);
        Assert.Equal(PresenceStatus.Offline, (await user.GetPresence()).Status);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.Banned, () => im.ConnectAsync("bob", DeviceTypes.Web, "c3"));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.Banned, () => user.Login(new LoginRequest("Bob", null, null, null)));

        await user.SetUserStatus(UserStatuses.Normal);
        await im.ConnectAsync("bob", DeviceTypes.Web, "c4");
        Assert.Equal(PresenceStatus.Online, (await user.GetPresence()).Status);
    }

    [Fact]
    public async Task Conversation_list_and_read_cursor_move_forward_only()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        await user.JoinConversation("conv1");
        await user.JoinConversation("conv1");
        await user.Deliver(Message("conv1", 5, from: "carol"));

        await user.MarkRead("conv1", 3);
        await user.MarkRead("conv1", 2);
        Assert.Equal([new ConversationCursor("conv1", 3, 5)], await user.GetConversations());
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.NotMember, () => user.MarkRead("other", 1));

        await user.LeaveConversation("conv1");
        Assert.Empty(await user.GetConversations());
    }

    internal static ChatMessage Message(string convId, long seq, string from) =>
        new(convId, seq, Guid.NewGuid().ToString("N"), from, MessageTypes.Text, $"m{seq}", null, null,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), false, 0, false, null, null);
}
