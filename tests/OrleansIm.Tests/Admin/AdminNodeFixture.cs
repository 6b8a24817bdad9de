using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Admin;

/// <summary>A standalone node with an admin key (and any extra settings of a subclass); one per test class.</summary>
public class AdminNodeFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-for-tests-0123456789";

    public TestNode Node { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Gateway:AdminKey"] = AdminKey };
        Node = await TestNode.StartAsync(settings);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
