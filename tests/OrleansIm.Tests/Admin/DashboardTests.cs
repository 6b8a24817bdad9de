using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Admin;

/// <summary>The Orleans Dashboard on a node with Admin:Dashboard:Enabled: every path behind the admin key.</summary>
public sealed class DashboardTests(DashboardTests.Fixture fixture) : IClassFixture<DashboardTests.Fixture>
{
    public sealed class Fixture : AdminNodeFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Admin:Dashboard:Enabled"] = "true" };
    }

    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("/admin/dashboard/")]
    [InlineData("/admin/dashboard/version")]
    [InlineData("/admin/dashboard/ClusterStats")]
    public async Task Without_the_admin_key_every_dashboard_path_is_401_with_a_basic_challenge(string path)
    {
        foreach (var key in new string?[] { null, TestNode.AppKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null) request.Headers.Authorization = Basic(key);
            using var response = await Node.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains($"\"code\":{ImErrorCodes.AdminUnauthorized}", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task With_the_admin_key_the_page_and_its_data_are_served()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/");
        page.Headers.Authorization = Basic(AdminNodeFixture.AdminKey);
        using var pageResponse = await Node.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.Equal("text/html", pageResponse.Content.Headers.ContentType?.MediaType);

        using var version = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/version");
        version.Headers.Add("X-Admin-Key", AdminNodeFixture.AdminKey);
        using var versionResponse = await Node.Http.SendAsync(version);
        Assert.Equal(HttpStatusCode.OK, versionResponse.StatusCode);
        Assert.Contains("version", await versionResponse.Content.ReadAsStringAsync());

        // The live log stream is hidden by default (Admin:Dashboard:HideTrace).
        using var trace = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/Trace");
        trace.Headers.Add("X-Admin-Key", AdminNodeFixture.AdminKey);
        using var traceResponse = await Node.Http.SendAsync(trace);
        Assert.Equal(HttpStatusCode.Forbidden, traceResponse.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + password)));
}
