using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Auth;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class SocketHandshakeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Bad_token_is_401_before_upgrade()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Node.FailedHandshakeStatusAsync(null, "im_web"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Node.FailedHandshakeStatusAsync("Bearer not.a.jwt", "im_web"));
        var foreign = new JwtTokenService("some-other-secret", TimeSpan.FromDays(30)).Issue("someone");
        Assert.Equal(HttpStatusCode.Unauthorized, await Node.FailedHandshakeStatusAsync(foreign, "im_web"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Node.FailedHandshakeStatusAsync("garbage", "im_web", viaQuery: true));
        var expired = new JwtTokenService(Node.Services.GetRequiredService<GatewaySecrets>().JwtSecret, TimeSpan.FromSeconds(-10)).Issue("someone");
        Assert.Equal(HttpStatusCode.Unauthorized, await Node.FailedHandshakeStatusAsync(expired, "im_web"));
    }

    [Fact]
    public async Task Bad_device_type_or_unknown_user_is_403_before_upgrade()
    {
        var token = await Node.LoginAsync(NodeFixture.NewUserId("dev"));
        Assert.Equal(HttpStatusCode.Forbidden, await Node.FailedHandshakeStatusAsync(token, "web"));
        Assert.Equal(HttpStatusCode.Forbidden, await Node.FailedHandshakeStatusAsync(token, null));
        Assert.Equal(HttpStatusCode.Forbidden, await Node.FailedHandshakeStatusAsync(token, "android", viaQuery: true));

        var neverLoggedIn = Node.Services.GetRequiredService<JwtTokenService>().Issue(NodeFixture.NewUserId("ghost"));
        Assert.Equal(HttpStatusCode.Forbidden, await Node.FailedHandshakeStatusAsync(neverLoggedIn, "im_web"));
    }

    [Fact]
    public async Task Token_is_accepted_without_bearer_prefix_and_via_query()
    {
        var token = await Node.LoginAsync(NodeFixture.NewUserId("q"));
        await using var bare = await Node.ConnectAsync(token["Bearer ".Length..], "im_pc_win");
        await bare.PingAsync();
        await using var query = await Node.ConnectAsync(token, "im_app_android", viaQuery: true);
        await query.PingAsync();
    }
}
