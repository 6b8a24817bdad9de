using System.Net;
using Microsoft.Extensions.Configuration;
using OrleansIm.Gateway.Admin;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Admin;

/// <summary>A node without Gateway:AdminKey: the admin API is disabled and no key (not the app key) opens it; the dashboard is off.</summary>
public sealed class AdminDisabledTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("GET", "/admin/v1/silos")]
    [InlineData("GET", "/admin/v1/users/alice")]
    [InlineData("POST", "/admin/v1/users/alice/ban")]
    [InlineData("POST", "/admin/v1/broadcast")]
    public async Task Every_admin_endpoint_answers_404_with_4040(string method, string path)
    {
        foreach (var key in new string?[] { null, TestNode.AppKey, AdminNodeFixture.AdminKey })
        {
            var (status, body) = await Node.AdminAsync(new HttpMethod(method), path, key: key);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal(ImErrorCodes.AdminDisabled, body.GetProperty("code").GetInt32());
        }
    }

    [Fact]
    public async Task The_dashboard_is_off_by_default()
    {
        foreach (var path in new[] { "/admin/dashboard", "/admin/dashboard/", "/admin/dashboard/version" })
        {
            using var response = await Node.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void A_short_admin_key_or_one_equal_to_the_app_key_stops_the_node()
    {
        static IConfiguration Config(params (string, string)[] values) =>
            new ConfigurationBuilder()
                .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2))).Build();

        Assert.Throws<InvalidOperationException>(() => AdminCredentials.Resolve(Config(("Gateway:AdminKey", "short-key"))));
        Assert.Throws<InvalidOperationException>(() => AdminCredentials.Resolve(Config(
            ("Gateway:AppKey", "the-same-key-0123456789"), ("Gateway:AdminKey", "the-same-key-0123456789"))));
        Assert.False(AdminCredentials.Resolve(Config()).Enabled);
        var credentials = AdminCredentials.Resolve(Config(("Gateway:AdminKey", AdminNodeFixture.AdminKey)));
        Assert.True(credentials.KeyMatches(AdminNodeFixture.AdminKey));
        Assert.False(credentials.KeyMatches(AdminNodeFixture.AdminKey[..^1]));
        Assert.False(credentials.KeyMatches(null));
    }

    [Fact]
    public async Task Enabling_the_dashboard_without_an_admin_key_stops_the_node()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestNode.StartAsync(new Dictionary<string, string?> { ["Admin:Dashboard:Enabled"] = "true" }));
        Assert.Contains("Gateway:AdminKey", error.ToString());
    }
}
