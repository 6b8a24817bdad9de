using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Files;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>
/// A store that fails (a full disk, a database gone) is the server's fault: code 1 / HTTP 500 on upload, 503 on
/// download — never blamed on the client's body (4406).
/// </summary>
public sealed class FileStoreFailureTests
{
    [Fact]
    public async Task A_failing_store_is_an_internal_error_not_a_bad_request()
    {
        await using var node = await TestNode.StartAsync(services: s => s.AddSingleton<IFileStore>(new FailingStore()));

        var (status, body, _) = await FileHttp.UploadAsync(node.Http, FileHttp.RandomBytes(1000), "image/png", "a.png", FileHttp.AppHeaders());
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(1, body.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);

        using var download = await node.Http.GetAsync($"/storage/uploads/{Guid.NewGuid():N}.png");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
    }

    private sealed class FailingStore : IFileStore
    {
        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<StoredFile> SaveAsync(string name, string contentType, Stream content, long maxBytes, CancellationToken cancellationToken)
        {
            await content.ReadExactlyAsync(new byte[100], cancellationToken);
            throw new IOException("No space left on device");
        }

        public Task<OpenedFile?> OpenAsync(string name, CancellationToken cancellationToken) => throw new IOException("Input/output error");
    }
}
