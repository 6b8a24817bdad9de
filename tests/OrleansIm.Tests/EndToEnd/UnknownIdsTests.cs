using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Tests.Storage;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Frames naming ids that do not exist (typos, probes, floods of random ids) leave no activations behind and cost one
/// index read per frame, not one grain-state read per id. Grain-state reads and index look-ups are counted by
/// wrappers around the node's real SQLite stores.
/// </summary>
public sealed class UnknownIdsTests : IAsyncLifetime
{
    private const int Ids = MessageLimits.MaxPresenceIds; // 200, also Gateway:MaxSyncConversations' default

    private TestNode _node = null!;
    private CountingGrainStorage _grainStorage = null!;
    private CountingUserIndex _userIndex = null!;
    private CountingConversationIndex _conversationIndex = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(services: services =>
        {
            // Registered after the node's own: the last registration wins, and wraps the real store.
            services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
                _grainStorage = new CountingGrainStorage(sp.GetRequiredService<SqliteGrainStorage>()));
            services.AddSingleton<IUserIndex>(sp => _userIndex = new CountingUserIndex(new SqliteUserIndex(sp.GetRequiredService<SqliteDatabase>())));
            services.AddSingleton<IConversationIndex>(sp =>
                _conversationIndex = new CountingConversationIndex(new SqliteConversationIndex(sp.GetRequiredService<SqliteDatabase>())));
        });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private IManagementGrain Management => _node.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

    private async Task<HashSet<string>> ActiveKeysAsync(string grainType) =>
        (await Management.GetActiveGrains(GrainType.Create(grainType))).Select(id => id.Key.ToString()!).ToHashSet();

    [Fact]
    public async Task Presence_of_200_unknown_users_is_offline_from_one_index_read_without_activations()
    {
        var (me, friend) = (NodeFixture.NewUserId("me"), NodeFixture.NewUserId("friend"));
        await using var socket = await _node.ConnectAsync(await _node.LoginAsync(me));
        await using var friendSocket = await _node.ConnectAsync(await _node.LoginAsync(friend));
        var ghosts = Enumerable.Range(0, Ids - 1).Select(i => NodeFixture.NewUserId($"ghost{i}")).ToHashSet();
        var lookupsBefore = _userIndex.Lookups;

        var reply = await socket.AckAsync("presence.query", new { user_ids = ghosts.Append(friend).ToArray() });

        var statuses = reply.GetProperty("users").EnumerateArray()
            .ToDictionary(u => u.GetProperty("userId").GetString()!, u => u.GetProperty("status").GetString());
        Assert.Equal(Ids, statuses.Count);
        Assert.Equal(PresenceStatus.Online, statuses[friend]);
        Assert.All(ghosts, g => Assert.Equal(PresenceStatus.Offline, statuses[g]));
        Assert.Equal(1, _userIndex.Lookups - lookupsBefore);
        Assert.Equal(0, _grainStorage.Reads("user", ghosts.Contains));
        Assert.Empty((await ActiveKeysAsync("user")).Intersect(ghosts));
    }

    [Fact]
    public async Task Sync_of_200_unknown_conversations_answers_4003_from_one_index_read_without_activations()
    {
        var (me, friend) = (NodeFixture.NewUserId("me"), NodeFixture.NewUserId("friend"));
        await using var socket = await _node.ConnectAsync(await _node.LoginAsync(me));
        await _node.LoginAsync(friend);
        var (_, created) = await _node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = me, to_client_ids = new[] { friend }, conv_type = 1 }));
        var real = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        await socket.AckAsync("msg.send", new { conv_id = real, type = -1, text = "hi" });
        // Random ids, and the derivable id of a private conversation nobody created.
        var unknown = Enumerable.Range(0, Ids - 2).Select(_ => ConversationIds.NewId())
            .Append(ConversationIds.ForPrivate(TestNode.AppId, me, NodeFixture.NewUserId("stranger"))).ToHashSet();
        var lookupsBefore = _conversationIndex.Lookups;

        var reply = await socket.AckAsync("msg.sync", new { cursors = unknown.Append(real).ToDictionary(id => id, _ => 0L) });

        var entries = reply.GetProperty("conversations").EnumerateArray().ToDictionary(c => c.GetProperty("conv_id").GetString()!);
        Assert.Equal(Ids, entries.Count);
        Assert.Equal("hi", Assert.Single(entries[real].GetProperty("messages").EnumerateArray()).GetProperty("text").GetString());
        Assert.All(unknown, id =>
        {
            Assert.Equal(ImErrorCodes.NotMember, entries[id].GetProperty("code").GetInt32());
            Assert.Equal($"'{me}' is not a member of conversation '{id}'.", entries[id].GetProperty("msg").GetString());
        });
        Assert.Equal(1, _conversationIndex.Lookups - lookupsBefore);
        Assert.Equal(0, _grainStorage.Reads("conversation", unknown.Contains));
        Assert.Empty((await ActiveKeysAsync("conversation")).Intersect(unknown));
    }

    [Fact]
    public async Task History_and_calls_naming_unknown_ids_leave_no_activation_behind()
    {
        var me = NodeFixture.NewUserId("me");
        await using var socket = await _node.ConnectAsync(await _node.LoginAsync(me));
        var conversations = Enumerable.Range(0, 10).Select(_ => ConversationIds.NewId()).ToList();
        var calls = Enumerable.Range(0, 10).Select(i => NodeFixture.NewUserId($"call{i}")).ToList();

        foreach (var id in conversations) await socket.ExpectErrorAsync("msg.history", new { conv_id = id }, ImErrorCodes.NotMember);
        foreach (var id in calls)
        {
            await socket.ExpectErrorAsync("call.hangup", new { callId = id }, ImErrorCodes.CallNotFound);
            await socket.ExpectErrorAsync("call.response", new { callId = id, type = "ACCEPT" }, ImErrorCodes.CallNotFound);
        }
        // A request to a callee who does not exist is refused and leaves no call either.
        var refused = NodeFixture.NewUserId("refused");
        await socket.ExpectErrorAsync("call.request",
            new { callId = refused, type = CallTypes.Audio, callee = NodeFixture.NewUserId("nobody"), callerUserName = "A", calleeUserName = "B" },
            ImErrorCodes.CallBadRequest);

        await Eventually.True(async () => !(await ActiveKeysAsync("conversation")).Overlaps(conversations),
            because: "unknown conversations deactivate right after the read");
        await Eventually.True(async () => !(await ActiveKeysAsync("call")).Overlaps(calls.Append(refused)),
            because: "unknown calls deactivate right after the read");
    }
}
