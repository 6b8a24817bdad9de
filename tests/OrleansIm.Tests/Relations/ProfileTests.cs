using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Relations;

/// <summary>user.update_profile and user.get over real sockets.</summary>
public sealed class ProfileTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Updating_ones_name_card_reaches_other_devices_and_lookups()
    {
        var a = NodeFixture.NewUserId("card");
        var b = NodeFixture.NewUserId("card");
        var tokenA = await Node.LoginAsync(a, "Alice");
        var tokenB = await Node.LoginAsync(b, "Bob");
        await using var web = await Node.ConnectAsync(tokenA, "im_web");
        await using var phone = await Node.ConnectAsync(tokenA, "im_app_ios");
        await using var bob = await Node.ConnectAsync(tokenB);

        var card = await web.AckAsync("user.update_profile", new { nickname = "Alice B.", extras = new { city = "Lyon" } });
        Assert.Equal("Alice B.", card.GetProperty("nickname").GetString());
        var pushed = (await phone.WaitForTypeAsync("updateMyNameCard")).GetProperty("data");
        Assert.Equal(a, pushed.GetProperty("id").GetString());
        Assert.Equal("Alice B.", pushed.GetProperty("nickname").GetString());
        Assert.Equal("Lyon", pushed.GetProperty("extras").GetProperty("city").GetString());

        await web.AckAsync("user.update_profile", new { avatar = "https://example.invalid/a.png" });
        var users = (await bob.AckAsync("user.get", new { accounts = new[] { a, b, NodeFixture.NewUserId("ghost") } })).GetProperty("users");
        Assert.Equal(2, users.GetArrayLength());
        var alice = users.EnumerateArray().Single(u => u.GetProperty("id").GetString() == a);
        Assert.Equal("Alice B.", alice.GetProperty("nickname").GetString()); // the avatar change kept the nickname
        Assert.Equal("https://example.invalid/a.png", alice.GetProperty("avatar").GetString());
        Assert.Equal("Lyon", alice.GetProperty("extras").GetProperty("city").GetString());

        // The login sync's own card shows the change too.
        var sync = await phone.RequestAsync("sync", new { sessions = false, offlineMsgs = false });
        Assert.Equal("syncdone", sync.GetProperty("type").GetString());
        Assert.Equal("Alice B.", (await phone.WaitForTypeAsync("syncMyNameCard")).GetProperty("data").GetProperty("nickname").GetString());
    }

    [Fact]
    public async Task Bad_profile_requests_get_codes()
    {
        var a = NodeFixture.NewUserId("badcard");
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(a));
        await socket.ExpectErrorAsync("user.update_profile", new { }, ImErrorCodes.MissingParameter);
        await socket.ExpectErrorAsync("user.update_profile", new { nickname = " " }, ImErrorCodes.MissingParameter);
        await socket.ExpectErrorAsync("user.update_profile", new { nickname = new string('n', 65) }, ImErrorCodes.LimitExceeded);
        await socket.ExpectErrorAsync("user.update_profile", new { extras = "not an object" }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("user.get", new { accounts = Enumerable.Range(0, 151).Select(i => "u" + i).ToArray() }, ImErrorCodes.LimitExceeded);
        await socket.ExpectErrorAsync("user.get", new { accounts = Array.Empty<string>() }, ImErrorCodes.MissingParameter);
        await socket.ExpectErrorAsync("user.get", new { accounts = new[] { "bad id" } }, ImErrorCodes.InvalidUserId);
        await socket.PingAsync();
    }
}
