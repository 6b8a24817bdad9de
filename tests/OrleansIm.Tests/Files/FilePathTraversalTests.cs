using System.Net;
using OrleansIm.Gateway.Files;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>
/// Download paths that try to leave the store answer 404 and read nothing outside it. Requests go over raw TCP so no
/// client library normalizes them first. Bait: files with valid-looking names just outside the store's directory,
/// and the node's own jwt-secret.
/// </summary>
public sealed class FilePathTraversalTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    public static TheoryData<string> Paths() =>
    [
        "/storage/uploads/..%2F..%2Fetc%2Fpasswd",
        "/storage/uploads/..%2f..%2fetc%2fpasswd",
        "/storage/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/storage/uploads/%252e%252e%252fetc%252fpasswd",
        "/storage/uploads/..%5C..%5Cetc%5Cpasswd",
        "/storage/uploads/../../etc/passwd",
        "/storage/uploads/..%2Fjwt-secret",
        "/storage/uploads/%2e%2e/jwt-secret",
        "/storage/uploads/..%2F..%2Fjwt-secret",
        "/storage/uploads/%2Fetc%2Fpasswd",
        "/storage/uploads/..",
        "/storage/uploads/.",
        "/storage/uploads/" + BaitName + "%00.jpg",
        "/storage/uploads/..%2F" + BaitName,
        "/storage/uploads/..%2F..%2F" + BaitName,
        "/storage/uploads/" + BaitPrefix + "%2F" + BaitName,
        "/storage/uploads/" + BaitName.ToUpperInvariant(),
        "/storage/uploads/" + BaitName + "%0A",
    ];

    private const string BaitName = "0123456789abcdef0123456789abcdef.txt";
    private const string BaitPrefix = "01";

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Traversal_paths_get_404(string rawPath)
    {
        PlantBait();

        var status = await FileHttp.RawStatusAsync(Node.BaseUri, rawPath);

        Assert.True(status is 404 or 400, $"{rawPath} answered {status}");
    }

    [Fact]
    public async Task The_store_opens_nothing_but_valid_names()
    {
        PlantBait();
        var store = new LocalDirectoryFileStore(Path.Combine(Node.DataDirectory, "files"));

        foreach (var name in new[] { "../" + BaitName, "..", "../jwt-secret", "/etc/passwd", BaitName + "/../" + BaitName, "01/" + BaitName, BaitName + ".type" })
            Assert.Null(await store.OpenAsync(name, CancellationToken.None));
        Assert.False(FileNames.IsValid(BaitName + "\n"));
    }

    /// <summary>Files that would be served if a path could leave the store: in the data directory, and a directory up in the shard layout.</summary>
    private void PlantBait()
    {
        File.WriteAllText(Path.Combine(Node.DataDirectory, BaitName), "secret");
        File.WriteAllText(Path.Combine(Node.DataDirectory, BaitName + LocalDirectoryFileStore.TypeSuffix), "text/plain");
        Directory.CreateDirectory(Path.Combine(Node.DataDirectory, BaitPrefix));
        File.WriteAllText(Path.Combine(Node.DataDirectory, BaitPrefix, BaitName), "secret");
        File.WriteAllText(Path.Combine(Node.DataDirectory, BaitPrefix, BaitName + LocalDirectoryFileStore.TypeSuffix), "text/plain");
    }
}
