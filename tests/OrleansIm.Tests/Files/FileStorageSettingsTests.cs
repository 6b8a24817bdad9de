using System.Net;
using Microsoft.Extensions.Configuration;
using OrleansIm.Gateway.Files;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>Gateway:Files: which store a process picks, what the validator refuses, and the content-type and name rules.</summary>
public sealed class FileStorageSettingsTests
{
    [Fact]
    public void A_standalone_node_keeps_files_in_its_data_directory()
    {
        var choice = FileServiceCollectionExtensions.Choose(Configuration(("Storage:DataDirectory", "/srv/im")));

        Assert.Equal(FileStoreKind.Directory, choice.Kind);
        Assert.Equal(Path.GetFullPath("/srv/im/files"), choice.Location);
    }

    [Fact]
    public void A_cluster_process_shares_postgresql_when_it_has_a_connection_string_and_serves_no_files_otherwise()
    {
        var withDatabase = FileServiceCollectionExtensions.Choose(Configuration(("OrleansIm:Mode", "gateway"),
            ("ConnectionStrings:Postgres", "Host=db;Database=im;Username=u;Password=secret-pw")));
        Assert.Equal(FileStoreKind.Postgres, withDatabase.Kind);
        Assert.DoesNotContain("secret-pw", withDatabase.Location);

        Assert.Equal(FileStoreKind.None, FileServiceCollectionExtensions.Choose(Configuration(("OrleansIm:Mode", "gateway"))).Kind);
        // A shared mount may be configured explicitly.
        Assert.Equal(FileStoreKind.Directory, FileServiceCollectionExtensions.Choose(Configuration(("OrleansIm:Mode", "gateway"),
            ("Gateway:Files:Store", "Directory"), ("Gateway:Files:Directory", "/mnt/shared"))).Kind);
        var refused = Assert.Throws<InvalidOperationException>(() =>
            FileServiceCollectionExtensions.Choose(Configuration(("OrleansIm:Mode", "gateway"), ("Gateway:Files:Store", "Postgres"))));
        Assert.Contains("ConnectionStrings:Postgres", refused.Message);
    }

    [Fact]
    public void Nonsensical_settings_are_refused_naming_the_setting()
    {
        var result = new FileStorageOptionsValidator().Validate(null, new FileStorageOptions
        {
            MaxFileBytes = 0,
            MaxConcurrentUploads = 0,
            AllowedContentTypes = ["image/*", "*/*", "nonsense"],
            PublicBaseUrl = "ftp://files.example.com",
        });

        Assert.True(result.Failed);
        foreach (var setting in new[] { "MaxFileBytes", "MaxConcurrentUploads", "'*/*'", "'nonsense'", "PublicBaseUrl" })
            Assert.Contains(setting, result.FailureMessage);
        Assert.True(new FileStorageOptionsValidator().Validate(null, new FileStorageOptions { PublicBaseUrl = "https://cdn.example.com/im/" }).Succeeded);
    }

    [Theory]
    [InlineData("image/jpeg", "2020-04-28 16.25.13.jpg", "image/jpeg", "jpg")]
    [InlineData("IMAGE/PNG; charset=x", "a.png", "image/png", "png")]
    [InlineData("image/png", "a.jpeg", "image/png", "png")]
    [InlineData(null, "song.mp3", "audio/mpeg", "mp3")]
    [InlineData("application/octet-stream", "report.pdf", "application/pdf", "pdf")]
    [InlineData("application/octet-stream", "page.html", "application/octet-stream", "bin")]
    [InlineData("application/octet-stream", "../../etc/passwd", "application/octet-stream", "bin")]
    [InlineData("audio/amr", "voice.amr", "audio/amr", "amr")]
    [InlineData("image/svg+xml", "x.svg", "image/svg+xml", "bin")]
    [InlineData("not a type", null, "application/octet-stream", "bin")]
    public void The_stored_type_and_extension_follow_the_declared_type_and_the_allow_lists(string? declared, string? fileName, string type, string extension)
    {
        var resolved = FileContentTypes.Resolve(declared, fileName, FileStorageOptions.DefaultAllowedContentTypes);

        Assert.Equal(type, resolved);
        Assert.Equal(extension, FileContentTypes.ExtensionFor(resolved, fileName));
        Assert.True(FileNames.IsValid(FileNames.New(extension)));
    }

    [Theory]
    [InlineData("image/png", true)]
    [InlineData("video/mp4", true)]
    [InlineData("text/plain", true)]
    [InlineData("image/svg+xml", false)]
    [InlineData("text/html", false)]
    [InlineData("application/pdf", false)]
    [InlineData("application/octet-stream", false)]
    public void Only_passive_types_are_served_inline(string type, bool inline) => Assert.Equal(inline, FileContentTypes.ServesInline(type));

    [Fact]
    public async Task With_the_store_set_to_none_the_file_endpoints_do_not_exist()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:Files:Store"] = "None" });

        var (status, _, _) = await FileHttp.UploadAsync(node.Http, [1, 2, 3], "image/png", "a.png", FileHttp.AppHeaders());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.False(Directory.Exists(Path.Combine(node.DataDirectory, "files")));
    }

    [Fact]
    public async Task A_configured_public_base_url_starts_every_returned_url()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:Files:PublicBaseUrl"] = "https://cdn.example.com/im/" });

        var url = await FileHttp.UploadOkAsync(node.Http, [1, 2, 3], "image/png", "a.png", FileHttp.AppHeaders());

        Assert.Matches("^https://cdn\\.example\\.com/im/storage/uploads/[0-9a-f]{32}\\.png$", url.ToString());
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
