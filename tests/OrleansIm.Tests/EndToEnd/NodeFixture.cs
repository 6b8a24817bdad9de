using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>One node (and one temp data directory) per test class; tests use unique user ids so they don't interfere.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();

    public static string NewUserId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];
}
