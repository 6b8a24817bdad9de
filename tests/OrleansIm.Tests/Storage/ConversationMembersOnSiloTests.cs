using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansIm.Grains.Conversations;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Tests.Grains;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>
/// Conversation members in the member store, on a silo with real storage (SQLite or PostgreSQL, one subclass each): a
/// join writes one row and a conversation state that does not grow with the members, members survive a silo restart in
/// join order, state written before the member store is migrated on activation, and a delete drops the rows.
/// Grain-state writes and member rows are counted by wrappers around the silo's real stores.
/// </summary>
public abstract class ConversationMembersOnSiloTests : IAsyncLifetime
{
    private const string App = "666666";
    private const string StateName = "conversation";

    private readonly string _serviceId = $"members-{Guid.NewGuid():N}";

    protected CountingGrainStorage GrainStorage { get; private set; } = null!;

    protected CountingConversationMemberStore MemberStore { get; private set; } = null!;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Registers the silo's real storage (grain state, IM stores) on this test's data.</summary>
    protected abstract void UseStorage(ISiloBuilder silo);

    /// <summary>The default grain storage as the silo registered it, before our wrapper.</summary>
    protected abstract IGrainStorage RealGrainStorage(IServiceProvider services);

    /// <summary>The real member store, untimed.</summary>
    protected abstract IConversationMemberStore RealMemberStore(IServiceProvider services);

    private Task<ImGrainsHarness> StartAsync() => ImGrainsHarness.StartAsync(serviceId: _serviceId, storage: silo =>
    {
        UseStorage(silo);
        silo.UseInMemoryReminderService();
        // Registered after the silo's own: the last registration wins, and wraps the real store.
        silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
            GrainStorage = new CountingGrainStorage(RealGrainStorage(sp)));
        silo.Services.AddSingleton<IConversationMemberStore>(sp => MemberStore = new CountingConversationMemberStore(RealMemberStore(sp)));
    });

    private static GrainId ConversationGrainId(string convId) => GrainId.Create("conversation", convId);

    private static JsonElement Json(byte[] state) => JsonDocument.Parse(state).RootElement;

    [Fact]
    public async Task A_join_to_a_big_conversation_writes_one_row_and_a_state_that_does_not_grow()
    {
        await using var im = await StartAsync();
        var users = Enumerable.Range(0, 202).Select(i => $"big{i:D3}").ToList();
        await im.LoginAsync("owner");
        await Task.WhenAll(users.Select(im.LoginAsync));
        var convId = ConversationIds.NewId();
        var conv = im.Conversation(convId);
        await conv.Create(new CreateConversationRequest(App, "owner", [users[0]], ConversationTypes.Group, "{\"conv_name\":\"big\"}"));

        await conv.AddMembers([users[1]]);
        var small = GrainStorage.Writes(StateName, ConversationGrainId(convId))[^1];
        await conv.AddMembers(users[2..201]);
        var (writesBefore, rowsBefore) = (GrainStorage.Writes(StateName, ConversationGrainId(convId)).Count, MemberStore.AddedRows);

        await conv.AddMembers([users[201]]);

        var writes = GrainStorage.Writes(StateName, ConversationGrainId(convId));
        Assert.Equal(1, writes.Count - writesBefore);
        Assert.Equal(1, MemberStore.AddedRows - rowsBefore);
        // 3 members or 203: the state a join writes is the same size (same fields, a timestamp of the same length).
        Assert.Equal(small.Length, writes[^1].Length);
        Assert.False(Json(writes[^1]).TryGetProperty("Members", out _));
        Assert.Equal(203, (await conv.GetInfo(null)).MemberCount);
        Assert.Equal(users.Prepend("owner"), await conv.GetMembers(null));

        // A leave too: one row, the same small state.
        rowsBefore = MemberStore.RemovedRows;
        await im.Grains.GetGrain<ITeamGrain>(convId).RemoveTeamMembers(null, [users[100]], null);
        Assert.Equal(1, MemberStore.RemovedRows - rowsBefore);
        Assert.Equal(small.Length, GrainStorage.Writes(StateName, ConversationGrainId(convId))[^1].Length);
        Assert.Equal(202, (await conv.GetInfo(null)).MemberCount);
    }

    [Fact]
    public async Task Members_survive_a_silo_restart_in_join_order()
    {
        var convId = ConversationIds.NewId();
        await using (var im = await StartAsync())
        {
            foreach (var user in new[] { "olga", "zed", "adam", "mia", "bob" }) await im.LoginAsync(user);
            var conv = im.Conversation(convId);
            await conv.Create(new CreateConversationRequest(App, "olga", ["zed", "adam"], ConversationTypes.Group, null));
            await conv.AddMembers(["mia", "bob"]);
            await im.Grains.GetGrain<ITeamGrain>(convId).RemoveTeamMembers(null, ["adam"], null);
        }

        await using (var im = await StartAsync())
        {
            var conv = im.Conversation(convId);
            Assert.Equal(["olga", "zed", "mia", "bob"], await conv.GetMembers(null));
            Assert.Equal(4, (await conv.GetInfo(null)).MemberCount);
            await GrainAssert.ThrowsCodeAsync(ImErrorCodes.NotMember, () => conv.GetMembers("adam"));

            // Joins after the restart go after the loaded members.
            await conv.AddMembers(["adam"]);
            Assert.Equal(["olga", "zed", "mia", "bob", "adam"], await conv.GetMembers("bob"));
        }
    }

    [Fact]
    public async Task State_written_before_the_member_store_moves_its_members_on_activation()
    {
        var convId = ConversationIds.NewId();
        string[] old = ["owner", "zed", "adam", "mia"];
        await using var im = await StartAsync();
        await im.LoginAsync("dave");
        // The state exactly as nodes before the member store wrote it: the list under "Members", no rows.
        var written = new GrainState<ConversationState>
        {
            State = new ConversationState
            {
                Created = true, ConvType = ConversationTypes.Group, AppId = App, CreatorId = "owner", LegacyMembers = [.. old], CTime = 1,
            },
        };
        await GrainStorage.WriteStateAsync(StateName, ConversationGrainId(convId), written);
        Assert.Equal(old, Json(GrainStorage.Writes(StateName, ConversationGrainId(convId))[^1]).GetProperty("Members").EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(await MemberStore.LoadAsync(convId));

        var conv = im.Conversation(convId);
        Assert.Equal(old, await conv.GetMembers("zed"));

        Assert.Equal(old, await MemberStore.LoadAsync(convId));
        var stored = new GrainState<ConversationState>();
        await GrainStorage.ReadStateAsync(StateName, ConversationGrainId(convId), stored);
        Assert.True(stored.State!.Created);
        Assert.Null(stored.State.LegacyMembers);
        Assert.False(Json(GrainStorage.Writes(StateName, ConversationGrainId(convId))[^1]).TryGetProperty("Members", out _));

        await conv.AddMembers(["dave"]);
        Assert.Equal([.. old, "dave"], await conv.GetMembers(null));
    }

    [Fact]
    public async Task A_delete_drops_the_member_rows_and_a_new_create_of_the_id_starts_from_its_own_members()
    {
        var convId = ConversationIds.NewId();
        await using var im = await StartAsync();
        foreach (var user in new[] { "olga", "zed", "adam" }) await im.LoginAsync(user);
        var conv = im.Conversation(convId);
        await conv.Create(new CreateConversationRequest(App, "olga", ["zed", "adam"], ConversationTypes.Group, null));

        await conv.Delete();

        Assert.Empty(await MemberStore.LoadAsync(convId));
        Assert.DoesNotContain(await im.User("zed").GetConversations(), c => c.ConvId == convId);

        // Rows a create left behind without ever writing the conversation (it stopped in between) do not come back.
        await MemberStore.AddAsync(convId, ["stale"]);
        await conv.Create(new CreateConversationRequest(App, "adam", ["olga"], ConversationTypes.Group, null));
        Assert.Equal(["adam", "olga"], await conv.GetMembers(null));
        Assert.Equal(["adam", "olga"], await MemberStore.LoadAsync(convId));
    }

    [Fact]
    public async Task A_chatroom_writes_no_member_rows()
    {
        var convId = ConversationIds.NewId();
        await using var im = await StartAsync();
        await im.LoginAsync("olga");

        await im.Conversation(convId).Create(new CreateConversationRequest(App, "olga", [], ConversationTypes.Chatroom, null));

        Assert.Equal(0, MemberStore.AddedRows);
        Assert.Empty(await MemberStore.LoadAsync(convId));
        Assert.Equal(0, (await im.Conversation(convId).GetInfo(null)).MemberCount);
    }
}
