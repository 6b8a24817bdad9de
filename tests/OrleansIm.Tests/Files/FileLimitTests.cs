using System.Net;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>Gateway:Files:MaxFileBytes and the upload rate limits, over real HTTP against a node configured small.</summary>
public sealed class FileLimitTests
{
    private const int MaxFileBytes = 64 * 1024;

    [Fact]
    public async Task A_file_announced_too_large_gets_413_with_4013_before_its_body_is_sent_and_nothing_is_stored()
    {
        await using var node = await StartAsync();

        // Expect: 100-continue: the server answers on the headers, so the client never sends the 1 MiB.
        var (status, body, _) = await FileHttp.UploadAsync(node.Http, FileHttp.RandomBytes(1024 * 1024), "image/png", "big.png",
            FileHttp.AppHeaders(), expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(4013, body.GetProperty("code").GetInt32());
        Assert.Empty(StoredFiles(node));
    }

    [Fact]
    public async Task A_chunked_file_that_turns_out_too_large_gets_413_and_leaves_nothing_behind()
    {
        await using var node = await StartAsync();

        var (status, body, _) = await FileHttp.UploadAsync(node.Http, FileHttp.RandomBytes(MaxFileBytes + 20_000), "image/png", "big.png",
            FileHttp.AppHeaders(), chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(4013, body.GetProperty("code").GetInt32());
        Assert.Empty(StoredFiles(node));

        // Exactly the limit is fine.
        var (ok, okBody, _) = await FileHttp.UploadAsync(node.Http, FileHttp.RandomBytes(MaxFileBytes), "image/png", "max.png",
            FileHttp.AppHeaders(), chunked: true);
        Assert.True(ok == HttpStatusCode.OK, okBody.ToString());
    }

    [Fact]
    public async Task Uploads_past_the_per_user_limit_get_4290_with_retry_after()
    {
        await using var node = await StartAsync(RateLimitSettings.Only(("UploadsPerUser", 2, 1)));
        var token = await node.LoginAsync(NodeFixture.NewUserId("eager"));

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 30 && refused is null; i++)
        {
            var (status, _, response) = await FileHttp.UploadAsync(node.Http, [1, 2, 3], "text/plain", "a.txt", [("token", token)]);
            if (status == HttpStatusCode.TooManyRequests) refused = response;
            else Assert.Equal(HttpStatusCode.OK, status);
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var body = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4290, body.GetProperty("code").GetInt32());
        // Another user is not affected, nor is the application.
        var other = await node.LoginAsync(NodeFixture.NewUserId("calm"));
        await FileHttp.UploadOkAsync(node.Http, [1], "text/plain", "b.txt", [("token", other)]);
        await FileHttp.UploadOkAsync(node.Http, [1], "text/plain", "c.txt", FileHttp.AppHeaders());
    }

    [Fact]
    public async Task Uploads_past_the_per_address_limit_get_4290()
    {
        await using var node = await StartAsync(RateLimitSettings.Only(("UploadsPerAddress", 2, 1)));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
            statuses.Add((await FileHttp.UploadAsync(node.Http, [1, 2, 3], "text/plain", "a.txt", FileHttp.AppHeaders())).Status);

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private static Task<TestNode> StartAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Gateway:Files:MaxFileBytes"] = MaxFileBytes.ToString();
        return TestNode.StartAsync(settings);
    }

    private static string[] StoredFiles(TestNode node)
    {
        var root = Path.Combine(node.DataDirectory, "files");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }
}
