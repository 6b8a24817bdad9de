using System.Net;
using System.Text;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>Broken multipart bodies get a documented code (4406, 4001), never an internal error, and store nothing.</summary>
public sealed class MalformedUploadTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    public static TheoryData<string, string, int> Bodies() => new()
    {
        // content type, body, expected code
        { "multipart/form-data", "--x\r\n\r\nabc\r\n--x--\r\n", 4406 },
        { "multipart/form-data; boundary=", "--\r\n", 4406 },
        { "multipart/form-data; boundary=" + new string('b', 71), "", 4406 },
        { "multipart/form-data; boundary=x", "", 4406 },
        { "multipart/form-data; boundary=x", "garbage without any boundary", 4406 },
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nno closing boundary", 4406 },
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n" + new string('h', 20_000) + "\r\n\r\nabc\r\n--x--\r\n", 4406 },
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\nabc\r\n--x--\r\n", 4001 },
        { "multipart/form-data; boundary=x", "--x--\r\n", 4001 },
        { "multipart/mixed; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--\r\n", 4406 },
        { "application/octet-stream", "abc", 4406 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_broken_multipart_body_gets_a_documented_code(string contentType, string body, int code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, FileHttp.UploadPath) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach (var (name, value) in FileHttp.AppHeaders()) request.Headers.Add(name, value);

        using var response = await Node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var envelope = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, envelope.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_file_field_without_a_file_name_is_still_the_file()
    {
        const string body = "--x\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, FileHttp.UploadPath) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        foreach (var (name, value) in FileHttp.AppHeaders()) request.Headers.Add(name, value);

        using var response = await Node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetString()!;
        Assert.EndsWith(".txt", url);
        Assert.Equal("hello", await Node.Http.GetStringAsync(url));
    }
}
