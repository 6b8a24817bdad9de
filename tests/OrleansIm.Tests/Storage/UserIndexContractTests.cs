using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>The <see cref="IUserIndex"/> contract; every implementation runs it through a subclass.</summary>
public abstract class UserIndexContractTests : IAsyncLifetime
{
    protected IUserIndex Index { get; set; } = null!;

    protected abstract Task<IUserIndex> CreateIndexAsync();

    public async Task InitializeAsync()
    {
        Index = await CreateIndexAsync();
        await Index.AddAsync("alice");
        await Index.AddAsync("bob");
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FindExisting_keeps_only_added_users()
    {
        // "Alice" differs from alice only by case; duplicates and unknown ids are ignored.
        var existing = await Index.FindExistingAsync(["alice", "Alice", "carol", "bob", "alice"]);

        Assert.Equal(["alice", "bob"], existing.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Adding_twice_is_harmless()
    {
        await Index.AddAsync("alice");
        await Index.AddAsync("carol");

        Assert.Equal(["alice", "carol"], (await Index.FindExistingAsync(["alice", "carol"])).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindExisting_answers_a_large_batch_and_an_empty_one()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"ghost{i}").Append("bob").ToList();

        Assert.Equal(["bob"], await Index.FindExistingAsync(ids));
        Assert.Empty(await Index.FindExistingAsync([]));
    }
}
