using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>Seed 003's file upload and the URLs it answers, over real HTTP against a standalone node (local-directory store).</summary>
public sealed class FileUploadTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_upload_with_the_app_key_answers_a_url_that_serves_the_same_bytes()
    {
        var content = FileHttp.RandomBytes(700_000);

        var (status, body, _) = await FileHttp.UploadAsync(Node.Http, content, "image/jpeg", "2020-04-28 16.25.13.jpg",
            [.. FileHttp.AppHeaders(), ("request-id", "rq-7")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("code").GetInt32());
        Assert.Equal("ok", body.GetProperty("message").GetString());
        Assert.Equal("rq-7", body.GetProperty("request-id").GetString());
        // Seed 003: http://host/storage/uploads/7de523065e29c5526b7f1f8b15030df3.jpg
        var url = new Uri(body.GetProperty("data").GetString()!);
        Assert.Equal(Node.BaseUri.Authority, url.Authority);
        Assert.Matches("^/storage/uploads/[0-9a-f]{32}\\.jpg$", url.AbsolutePath);

        using var download = await Node.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(content.Length, download.Content.Headers.ContentLength);
        Assert.Equal("bytes", Assert.Single(download.Headers.AcceptRanges));
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        Assert.NotNull(download.Headers.ETag);
        Assert.NotNull(download.Content.Headers.LastModified);
        // An image is shown inline.
        Assert.Null(download.Content.Headers.ContentDisposition);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("Authorization")]
    public async Task A_user_uploads_with_the_login_token(string header)
    {
        var token = await Node.LoginAsync(NodeFixture.NewUserId("uploader"));
        var content = FileHttp.RandomBytes(5000);
        // The login API answers "Bearer <jwt>": as /ws takes it in header token, and Authorization's own form.
        var url = await FileHttp.UploadOkAsync(Node.Http, content, "audio/amr", "voice.amr", [(header, token)]);

        Assert.EndsWith(".amr", url.AbsolutePath);
        using var download = await Node.Http.GetAsync(url);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("audio/amr", download.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_banned_user_cannot_upload_with_a_token()
    {
        var user = NodeFixture.NewUserId("banned_uploader");
        var token = await Node.LoginAsync(user);
        var (banned, _) = await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            JsonSerializer.Serialize(new { id = user, userStatus = OrleansIm.Grains.Interfaces.UserStatuses.Banned }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.OK, banned);

        var (status, body, _) = await FileHttp.UploadAsync(Node.Http, [1, 2, 3], "image/png", "a.png", [("token", token)]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(213, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_range_request_gets_206_with_exactly_that_slice()
    {
        var content = FileHttp.RandomBytes(300_000);
        var url = await FileHttp.UploadOkAsync(Node.Http, content, "video/mp4", "clip.mp4", FileHttp.AppHeaders());

        using var middle = new HttpRequestMessage(HttpMethod.Get, url);
        middle.Headers.Range = new RangeHeaderValue(1000, 200_999);
        using var partial = await Node.Http.SendAsync(middle);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(content[1000..201_000], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(1000, partial.Content.Headers.ContentRange!.From);
        Assert.Equal(200_999, partial.Content.Headers.ContentRange.To);
        Assert.Equal(content.Length, partial.Content.Headers.ContentRange.Length);
        Assert.Equal(200_000, partial.Content.Headers.ContentLength);

        // The last 10 bytes (a suffix range), as players ask for a video's index.
        using var suffix = new HttpRequestMessage(HttpMethod.Get, url);
        suffix.Headers.Range = new RangeHeaderValue(null, 10);
        using var tail = await Node.Http.SendAsync(suffix);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(content[^10..], await tail.Content.ReadAsByteArrayAsync());

        // Several ranges at once are answered with the whole file (allowed by RFC 9110), not a multipart body.
        using var several = new HttpRequestMessage(HttpMethod.Get, url);
        several.Headers.TryAddWithoutValidation("Range", "bytes=0-9,20-29");
        using var whole = await Node.Http.SendAsync(several);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content.Length, whole.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_range_past_the_end_gets_416()
    {
        var content = FileHttp.RandomBytes(1000);
        var url = await FileHttp.UploadOkAsync(Node.Http, content, "application/pdf", "doc.pdf", FileHttp.AppHeaders());

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(5000, 6000);
        using var response = await Node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal(content.Length, response.Content.Headers.ContentRange!.Length);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_revalidation_with_the_etag_gets_304_and_head_gets_headers_only()
    {
        var content = FileHttp.RandomBytes(2000);
        var url = await FileHttp.UploadOkAsync(Node.Http, content, "image/png", "a.png", FileHttp.AppHeaders());
        using var first = await Node.Http.GetAsync(url);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
        revalidate.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await Node.Http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var head = await Node.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("image/svg+xml", "logo.svg")]
    [InlineData("application/zip", "a.zip")]
    [InlineData("application/octet-stream", "page.html")]
    public async Task Types_a_browser_would_render_as_active_content_are_served_as_attachments(string contentType, string fileName)
    {
        var url = await FileHttp.UploadOkAsync(Node.Http, "<svg onload=alert(1)>"u8.ToArray(), contentType, fileName, FileHttp.AppHeaders());

        using var download = await Node.Http.GetAsync(url);

        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(contentType, download.Content.Headers.ContentType!.MediaType);
        // The client's name never becomes the stored name, and .html/.svg are not extensions a stored name may have.
        Assert.DoesNotContain(fileName, url.AbsolutePath);
        Assert.Matches("^/storage/uploads/[0-9a-f]{32}\\.(bin|zip)$", url.AbsolutePath);
    }

    [Fact]
    public async Task A_type_not_on_the_allow_list_is_refused_and_nothing_is_stored()
    {
        var before = StoredFileCount();

        var (status, body, _) = await FileHttp.UploadAsync(Node.Http, "<html><script>alert(1)</script></html>"u8.ToArray(),
            "text/html", "x.html", FileHttp.AppHeaders());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(4406, body.GetProperty("code").GetInt32());
        Assert.Contains("text/html", body.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        Assert.Equal(before, StoredFileCount());
    }

    [Fact]
    public async Task Wrong_or_missing_credentials_are_refused_with_their_codes()
    {
        var content = FileHttp.RandomBytes(100);

        var (wrongKey, wrongKeyBody, _) = await FileHttp.UploadAsync(Node.Http, content, "image/png", "a.png", FileHttp.AppHeaders("not-the-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey);
        Assert.Equal(4010, wrongKeyBody.GetProperty("code").GetInt32());

        var (onlyId, onlyIdBody, _) = await FileHttp.UploadAsync(Node.Http, content, "image/png", "a.png", [("app-id", TestNode.AppId)]);
        Assert.Equal(HttpStatusCode.BadRequest, onlyId);
        Assert.Equal(4002, onlyIdBody.GetProperty("code").GetInt32());

        var (none, noneBody, _) = await FileHttp.UploadAsync(Node.Http, content, "image/png", "a.png", []);
        Assert.Equal(HttpStatusCode.BadRequest, none);
        Assert.Equal(4002, noneBody.GetProperty("code").GetInt32());

        var (badToken, badTokenBody, _) = await FileHttp.UploadAsync(Node.Http, content, "image/png", "a.png", [("token", "Bearer not.a.jwt")]);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken);
        Assert.Equal(4010, badTokenBody.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_body_without_the_file_field_or_not_multipart_is_refused()
    {
        var (missing, missingBody, _) = await FileHttp.UploadAsync(Node.Http, [1, 2, 3], "image/png", "a.png", FileHttp.AppHeaders(), field: "upload");
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal(4001, missingBody.GetProperty("code").GetInt32());

        var (notMultipart, notMultipartBody) = await Node.ApiAsync(HttpMethod.Post, FileHttp.UploadPath, "{\"file\":\"x\"}");
        Assert.Equal(HttpStatusCode.BadRequest, notMultipart);
        Assert.Equal(4406, notMultipartBody.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task An_unknown_name_is_404()
    {
        using var response = await Node.Http.GetAsync($"/storage/uploads/{Guid.NewGuid():N}.jpg");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_image_message_carries_the_uploaded_url()
    {
        var a = NodeFixture.NewUserId("img_a");
        var b = NodeFixture.NewUserId("img_b");
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        var url = await FileHttp.UploadOkAsync(Node.Http, FileHttp.RandomBytes(1234), "image/png", "p.png", FileHttp.AppHeaders());

        var (sent, sentBody) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = a, type = -2, url = url.ToString(), attr = new { w = 640, h = 480 } }));
        Assert.True(sent == HttpStatusCode.OK, sentBody.ToString());

        var (_, history) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message?page=1&size=1");
        var row = history.GetProperty("data").GetProperty("data")[0];
        Assert.Equal(-2, row.GetProperty("type").GetInt32());
        Assert.Equal(url.ToString(), row.GetProperty("url").GetString());
        using var image = await Node.Http.GetAsync(row.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
    }

    /// <summary>Files in the store's directory, temporary ones included.</summary>
    private int StoredFileCount()
    {
        var root = Path.Combine(Node.DataDirectory, "files");
        return Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Count() : 0;
    }
}
