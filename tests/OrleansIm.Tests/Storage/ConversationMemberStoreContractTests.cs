using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>The <see cref="IConversationMemberStore"/> contract; every implementation runs it through a subclass.</summary>
public abstract class ConversationMemberStoreContractTests : IAsyncLifetime
{
    protected IConversationMemberStore Store { get; set; } = null!;

    protected abstract Task<IConversationMemberStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.AddAsync("conv", ["owner", "carol", "alice"]);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Members_load_in_join_order_not_in_id_order()
    {
        await Store.AddAsync("conv", ["bob"]);
        await Store.AddAsync("conv", ["aaron", "zed"]);

        Assert.Equal(["owner", "carol", "alice", "bob", "aaron", "zed"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task Adding_an_existing_member_keeps_their_place_and_duplicates_count_once()
    {
        await Store.AddAsync("conv", ["alice", "dave", "owner", "dave"]);

        Assert.Equal(["owner", "carol", "alice", "dave"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task Ids_are_case_sensitive()
    {
        await Store.AddAsync("conv", ["Alice"]);
        await Store.RemoveAsync("conv", ["ALICE"]);

        Assert.Equal(["owner", "carol", "alice", "Alice"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task Removed_members_go_and_a_rejoin_goes_to_the_end()
    {
        await Store.AddAsync("conv", ["bob"]);

        await Store.RemoveAsync("conv", ["carol", "nobody"]);
        Assert.Equal(["owner", "alice", "bob"], await Store.LoadAsync("conv"));

        await Store.AddAsync("conv", ["carol"]);
        Assert.Equal(["owner", "alice", "bob", "carol"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task Removing_the_newest_member_does_not_reorder_later_joins()
    {
        await Store.AddAsync("conv", ["bob"]);
        await Store.RemoveAsync("conv", ["bob"]);

        await Store.AddAsync("conv", ["dave", "bob"]);

        Assert.Equal(["owner", "carol", "alice", "dave", "bob"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task Conversations_do_not_see_each_others_rows()
    {
        await Store.AddAsync("other", ["alice", "zoe"]);
        await Store.RemoveAsync("other", ["alice"]);

        Assert.Equal(["owner", "carol", "alice"], await Store.LoadAsync("conv"));
        Assert.Equal(["zoe"], await Store.LoadAsync("other"));
        Assert.Empty(await Store.LoadAsync("never-created"));
    }

    [Fact]
    public async Task Deleting_a_conversation_drops_all_its_rows_and_only_its_rows()
    {
        await Store.AddAsync("other", ["zoe"]);

        await Store.DeleteConversationAsync("conv");
        await Store.DeleteConversationAsync("never-created");

        Assert.Empty(await Store.LoadAsync("conv"));
        Assert.Equal(["zoe"], await Store.LoadAsync("other"));
        await Store.AddAsync("conv", ["alice", "owner"]);
        Assert.Equal(["alice", "owner"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task Empty_writes_change_nothing()
    {
        await Store.AddAsync("conv", []);
        await Store.RemoveAsync("conv", []);

        Assert.Equal(["owner", "carol", "alice"], await Store.LoadAsync("conv"));
    }

    [Fact]
    public async Task A_2000_member_conversation_round_trips_in_order()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"m{(i * 7919) % 2000:D4}").ToList();

        await Store.AddAsync("big", ids.Take(1000).ToList());
        await Store.AddAsync("big", ids.Skip(1000).ToList());
        await Store.RemoveAsync("big", ids.Where((_, i) => i % 2 == 1).ToList());

        Assert.Equal(ids.Where((_, i) => i % 2 == 0), await Store.LoadAsync("big"));
    }
}
