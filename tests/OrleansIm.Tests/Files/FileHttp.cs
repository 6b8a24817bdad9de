using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OrleansIm.Tests.Files;

/// <summary>Uploads (multipart, as curl --form and browsers send them) and raw requests for the file tests.</summary>
public static class FileHttp
{
    public const string UploadPath = "/im/file/upload";

    public static (string Name, string Value)[] AppHeaders(string appKey = OrleansIm.Tests.EndToEnd.TestNode.AppKey) =>
        [("app-id", OrleansIm.Tests.EndToEnd.TestNode.AppId), ("app-key", appKey)];

    /// <param name="chunked">Send the body without Content-Length (the server only learns its size by reading it).</param>
    /// <param name="expectContinue">Send Expect: 100-continue, so a server that refuses on the headers never gets the body.</param>
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> UploadAsync(
        HttpClient http, byte[] content, string? contentType, string fileName, IEnumerable<(string Name, string Value)> headers,
        bool chunked = false, bool expectContinue = false, string field = "file")
    {
        HttpContent part = chunked ? new StreamContent(new UnseekableStream(content)) : new ByteArrayContent(content);
        if (contentType is not null) part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var form = new MultipartFormDataContent { { new StringContent("ignored"), "note" }, { part, field, fileName } };
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadPath) { Content = form };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (expectContinue) request.Headers.ExpectContinue = true;
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>An upload that must succeed; returns the URL the server answered.</summary>
    public static async Task<Uri> UploadOkAsync(HttpClient http, byte[] content, string contentType, string fileName,
        IEnumerable<(string Name, string Value)> headers)
    {
        var (status, body, _) = await UploadAsync(http, content, contentType, fileName, headers);
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"Upload failed: {status} {body}");
        return new Uri(body.GetProperty("data").GetString()!);
    }

    /// <summary>
    /// A request line sent byte for byte over TCP, so no client library normalizes or re-encodes the path; returns
    /// the status code of the answer.
    /// </summary>
    public static async Task<int> RawStatusAsync(Uri baseUri, string rawPath)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUri.Host, baseUri.Port);
        await using var stream = client.GetStream();
        var request = $"GET {rawPath} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var statusLine = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("No answer.");
        // "HTTP/1.1 404 Not Found"
        return int.Parse(statusLine.Split(' ')[1]);
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Hides the length from HttpClient, which then sends the body chunked.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
