using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Grains;

/// <summary>What survives deactivation (persisted state) and what keeps a grain alive (live devices).</summary>
public sealed class GrainLifecycleTests
{
    private const string App = "666666";

    private static Task<ImGrainsHarness> StartWithFastCollectionAsync() =>
        ImGrainsHarness.StartAsync(configureCollection: o =>
        {
            o.CollectionQuantum = TimeSpan.FromMilliseconds(100);
            o.CollectionAge = TimeSpan.FromMilliseconds(500);
        });

    [Fact]
    public async Task Profile_conversations_and_read_cursor_survive_deactivation()
    {
        await using var im = await StartWithFastCollectionAsync();
        var user = im.User("alice");
        var profile = await user.Login(new LoginRequest("Alice", "http://a/1.png", DeviceTypes.Ios, "{\"k\":\"v\"}"));
        await user.JoinConversation("conv1");
        await user.MarkRead("conv1", 4);
        await user.SetUserStatus(UserStatuses.Banned);

        await im.CollectAsync("user", "alice");

        Assert.Equal(profile with { UserStatus = UserStatuses.Banned }, await user.GetProfile());
        Assert.Equal([new ConversationCursor("conv1", 4, 4)], await user.GetConversations());
    }

    [Fact]
    public async Task User_with_a_live_device_is_not_collected()
    {
        await using var im = await StartWithFastCollectionAsync();
        await im.LoginAsync("online");
        await im.LoginAsync("offline");
        await im.ConnectAsync("online", DeviceTypes.Web, "c1");

        await im.CollectAsync("user", "offline");

        Assert.True(im.IsActive("user", "online"));
        Assert.Equal(PresenceStatus.Online, (await im.User("online").GetPresence()).Status);
    }

    [Fact]
    public async Task Conversation_reloads_seq_and_heals_its_index_row_on_activation()
    {
        await using var im = await StartWithFastCollectionAsync();
        await im.LoginAsync("alice");
        await im.LoginAsync("bob");
        var convId = ConversationIds.NewId();
        var conv = im.Conversation(convId);
        await conv.Create(new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Group, null));
        await conv.Send(new SendMessageRequest("alice", MessageTypes.Text, "one", null, null, false, 0, false, null, null));
        await im.Index.DeleteAsync(convId); // a lost index write

        await im.CollectAsync("conversation", convId);

        var ack = await conv.Send(new SendMessageRequest("bob", MessageTypes.Text, "two", null, null, false, 0, false, null, null));
        Assert.Equal(2, ack.Seq);
        Assert.Contains(await im.IndexRowsAsync(), r => r.ConvId == convId);
        Assert.Equal(["alice", "bob"], await conv.GetMembers(null));
    }

    [Fact]
    public async Task Reads_about_users_who_never_logged_in_leave_no_activation_behind()
    {
        await using var im = await ImGrainsHarness.StartAsync(); // default collection age: 15 minutes
        var ghosts = Enumerable.Range(0, 20).Select(i => $"ghost{i}").ToList();
        await Task.WhenAll(ghosts.Select(g => im.User(g).GetPresence()));
        await Task.WhenAll(ghosts.Select(g => im.User(g).GetProfile()));
        await im.LoginAsync("real");
        await im.User("real").GetPresence();

        await Eventually.True(() => ghosts.All(g => !im.IsActive("user", g)), because: "unknown users' activations go right after the read");
        Assert.True(im.IsActive("user", "real"));
    }

    [Fact]
    public async Task Requests_naming_conversations_that_do_not_exist_leave_no_activation_behind()
    {
        await using var im = await ImGrainsHarness.StartAsync(); // default collection age: 15 minutes
        await im.LoginAsync("alice");
        await im.LoginAsync("bob");
        var real = ConversationIds.ForPrivate(App, "alice", "bob");
        await im.Conversation(real).Create(new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Private, null));
        var ghosts = Enumerable.Range(0, 20).Select(_ => ConversationIds.NewId()).ToList();

        foreach (var id in ghosts.Take(10))
            await GrainAssert.ThrowsCodeAsync(ImErrorCodes.NotMember, () => im.Conversation(id).GetMessagesAfter("alice", 0, 10));
        foreach (var id in ghosts.Skip(10))
            await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationNotFound, () => im.Conversation(id).Send(new SendMessageRequest("alice", MessageTypes.Text, "hi", null, null, false, 0, false, null, null)));
        await im.Conversation(real).GetMessagesAfter("alice", 0, 10);

        await Eventually.True(() => ghosts.All(id => !im.IsActive("conversation", id)), because: "unknown conversations' activations go right after the request");
        Assert.True(im.IsActive("conversation", real));
    }

    [Fact]
    public async Task Directories_find_existing_conversations_and_known_users_without_activating_the_others()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        await im.LoginAsync("alice");
        await im.LoginAsync("bob");
        var real = ConversationIds.ForPrivate(App, "alice", "bob");
        await im.Conversation(real).Create(new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Private, null));
        var ghostConversations = Enumerable.Range(0, 200).Select(_ => ConversationIds.NewId()).ToList();
        var ghostUsers = Enumerable.Range(0, 200).Select(i => $"ghost{i}").ToList();

        Assert.Equal([real], await im.Grains.GetGrain<IConversationDirectoryGrain>(App).FindExisting([.. ghostConversations, real, real]));
        Assert.Empty(await im.Grains.GetGrain<IConversationDirectoryGrain>("other-app").FindExisting([real]));
        Assert.Equal(["bob", "alice"], await im.Grains.GetGrain<IUserDirectoryGrain>(0).FindKnown([.. ghostUsers, "bob", "alice"]));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.LimitExceeded,
            () => im.Grains.GetGrain<IUserDirectoryGrain>(0).FindKnown([.. Enumerable.Range(0, 1001).Select(i => $"u{i}")]));

        Assert.DoesNotContain(ghostConversations, id => im.IsActive("conversation", id));
        Assert.DoesNotContain(ghostUsers, id => im.IsActive("user", id));
    }

    [Fact]
    public async Task A_user_index_write_that_fails_at_login_is_made_on_connect()
    {
        var index = new FailingOnceUserIndex();
        await using var im = await ImGrainsHarness.StartAsync(storage: silo =>
        {
            silo.AddMemoryGrainStorageAsDefault();
            silo.UseInMemoryReminderService();
            silo.Services.AddMemoryImStores();
            silo.Services.AddSingleton<IUserIndex>(index);
        });
        await im.LoginAsync("alice"); // the index write fails; the login still succeeds
        Assert.Empty(await im.Grains.GetGrain<IUserDirectoryGrain>(0).FindKnown(["alice"]));

        await im.ConnectAsync("alice", DeviceTypes.Web, "c1");

        Assert.Equal(["alice"], await im.Grains.GetGrain<IUserDirectoryGrain>(0).FindKnown(["alice"]));
    }

    /// <summary>A user index whose first write fails, like a database hiccup during a login.</summary>
    private sealed class FailingOnceUserIndex : IUserIndex
    {
        private readonly MemoryUserIndex _inner = new();
        private int _writes;

        public Task AddAsync(string userId) =>
            Interlocked.Increment(ref _writes) == 1 ? Task.FromException(new InvalidOperationException("database hiccup")) : _inner.AddAsync(userId);

        public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds) => _inner.FindExistingAsync(userIds);
    }
}
