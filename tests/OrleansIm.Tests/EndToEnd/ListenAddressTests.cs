using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// The seed's example app key is printed in the README: a node that runs with it must not be reachable from other
/// machines, so it listens on loopback whatever Gateway:Host says. A configured key lets Gateway:Host decide.
/// </summary>
public sealed class ListenAddressTests
{
    [Fact]
    public async Task A_node_with_the_example_app_key_listens_on_loopback_only()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:Host"] = "0.0.0.0" });
        Assert.All(Addresses(node), a => Assert.StartsWith("http://127.0.0.1:", a));
        Assert.NotEmpty(await node.LoginAsync(NodeFixture.NewUserId("lo")));
    }

    [Fact]
    public async Task A_node_with_its_own_app_key_listens_where_gateway_host_says()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Host"] = "0.0.0.0",
            ["Gateway:AppKey"] = TestNode.AppKey + "-own", // a configured key: Gateway:Host decides
        });
        Assert.Contains(Addresses(node), a => a.StartsWith("http://0.0.0.0:", StringComparison.Ordinal) || a.StartsWith("http://[::]:", StringComparison.Ordinal));
    }

    private static IReadOnlyCollection<string> Addresses(TestNode node) =>
        node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
}
