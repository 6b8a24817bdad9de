using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Grains;

public sealed class ConversationGrainTests
{
    private const string App = "666666";

    [Fact]
    public async Task Create_with_unknown_member_is_211()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        await im.LoginAsync("alice");
        var conv = im.Conversation(ConversationIds.NewId());
        var ex = await GrainAssert.ThrowsCodeAsync(ImErrorCodes.UnknownUser,
            () => conv.Create(new CreateConversationRequest(App, "alice", ["ghost"], ConversationTypes.Group, null)));
        Assert.Contains("ghost", ex.Message);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationNotFound, () => conv.GetInfo(null));
    }

    [Fact]
    public async Task Create_with_bad_type_is_4405()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        await im.LoginAsync("alice");
        await im.LoginAsync("bob");
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidConversationType,
            () => im.Conversation(ConversationIds.NewId()).Create(new CreateConversationRequest(App, "alice", ["bob"], 9, null)));
    }

    [Fact]
    public async Task Private_create_is_idempotent_and_group_create_is_not()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        await im.LoginAsync("alice");
        await im.LoginAsync("bob");
        var privateId = ConversationIds.ForPrivate(App, "alice", "bob");

        var first = await im.Conversation(privateId).Create(new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Private, null));
        var second = await im.Conversation(privateId).Create(new CreateConversationRequest(App, "bob", ["alice"], ConversationTypes.Private, null));
        Assert.Equal(first, second);
        Assert.Equal(2, first.MemberCount);
        Assert.Contains(await im.User("alice").GetConversations(), c => c.ConvId == privateId);
        Assert.Contains(await im.User("bob").GetConversations(), c => c.ConvId == privateId);
        Assert.Contains(await im.IndexRowsAsync(), r => r.ConvId == privateId);

        // A private conversation under any other id would defeat that idempotency.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidParameter,
            () => im.Conversation(ConversationIds.NewId()).Create(new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Private, null)));

        var groupId = ConversationIds.NewId();
        var group = new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Group, "{\"conv_name\":\"g\"}");
        await im.Conversation(groupId).Create(group);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationExists, () => im.Conversation(groupId).Create(group));
    }

    [Fact]
    public async Task Send_fans_out_to_every_member_in_seq_order()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, alice, bob) = await TwoMemberGroupAsync(im);

        var acks = new List<SendResult>();
        for (var i = 1; i <= 5; i++)
            acks.Add(await im.Conversation(convId).Send(Text("alice", $"hello {i}", noSync: 1)));

        Assert.Equal([1L, 2, 3, 4, 5], acks.Select(a => a.Seq));
        Assert.All(acks, a => Assert.Matches("^[0-9a-f]{32}$", a.MsgId));
        await bob.WaitUntilAsync(o => o.Messages.Count == 5, "bob gets 5 messages");
        await alice.WaitUntilAsync(o => o.Messages.Count == 5, "alice's devices are synced (no_sync=1)");
        Assert.Equal([1L, 2, 3, 4, 5], bob.Messages.Select(m => m.Seq));
        Assert.Equal([1L, 2, 3, 4, 5], alice.Messages.Select(m => m.Seq));
        Assert.Equal(acks.Select(a => a.MsgId), bob.Messages.Select(m => m.MsgId));
        Assert.Equal("hello 1", bob.Messages[0].Text);
    }

    [Fact]
    public async Task Batched_sends_reach_a_device_in_seq_order_over_one_way_pushes_with_one_liveness_probe()
    {
        await using var im = await ImGrainsHarness.StartAsync(configure: o => o.DeviceProbePeriod = TimeSpan.FromHours(1));
        var (convId, _, bob) = await TwoMemberGroupAsync(im);

        var batches = Enumerable.Range(0, 6).Select(b => (IReadOnlyList<SendMessageRequest>)Enumerable.Range(1, MessageLimits.MaxSendBatch)
            .Select(i => Text("alice", $"m{b * MessageLimits.MaxSendBatch + i}", noSync: 0)).ToList());
        foreach (var batch in batches) await im.Conversation(convId).SendBatch(batch);

        var total = 6 * MessageLimits.MaxSendBatch;
        await bob.WaitUntilAsync(o => o.Messages.Count == total, $"bob gets {total} messages");
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), bob.Messages.Select(m => m.Seq));
        await Eventually.True(() => bob.Probes > 0, because: "the first push's liveness probe");
        Assert.Equal(1, bob.Probes);
        Assert.False(bob.PushOrderBroken);
    }

    [Fact]
    public async Task No_sync_0_skips_the_senders_own_devices()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, alice, bob) = await TwoMemberGroupAsync(im);

        await im.Conversation(convId).Send(Text("alice", "not for my other devices", noSync: 0));
        await im.Conversation(convId).Send(Text("alice", "for all", noSync: 1));

        await alice.WaitUntilAsync(o => o.Messages.Count == 1, "alice gets only the no_sync=1 message");
        await bob.WaitUntilAsync(o => o.Messages.Count == 2, "bob gets both");
        Assert.Equal(2, alice.Messages[0].Seq);
    }

    [Fact]
    public async Task Non_member_send_is_4003_and_validation_codes_apply()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        await im.LoginAsync("mallory");
        var conv = im.Conversation(convId);

        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.NotMember, () => conv.Send(Text("mallory", "hi")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidParameter, () => conv.Send(Text("alice", "hi") with { Type = -7 }));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.MissingParameter, () => conv.Send(Text("alice", "")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.LimitExceeded, () => conv.Send(Text("alice", new string('x', MessageLimits.MaxTextLength + 1))));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidParameter, () => conv.Send(Text("alice", "hi") with { Attr = "{not json" }));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidParameter, () => conv.Send(Text("alice", "nul\0inside")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.NotMember, () => conv.GetHistory("mallory", 1, 10));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationNotFound, () => im.Conversation(ConversationIds.NewId()).Send(Text("alice", "hi")));

        // Image messages need no text.
        var ack = await conv.Send(new SendMessageRequest("alice", MessageTypes.Image, null, null, "http://img/1.png", false, 0, false, null, null));
        Assert.Equal(1, ack.Seq);
    }

    [Fact]
    public async Task Resend_with_same_client_msg_id_is_not_duplicated()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, bob) = await TwoMemberGroupAsync(im);
        var conv = im.Conversation(convId);

        var first = await conv.Send(Text("alice", "once") with { ClientMsgId = "cm-1" });
        var again = await conv.Send(Text("alice", "once") with { ClientMsgId = "cm-1" });
        var next = await conv.Send(Text("alice", "next") with { ClientMsgId = "cm-2" });

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal((first.MsgId, first.Seq, first.Time), (again.MsgId, again.Seq, again.Time));
        Assert.Equal(2, next.Seq); // the resend did not consume a seq
        Assert.Equal(2, (await conv.GetHistory(null, 1, 10)).Total);

        // Per-recipient order holds, so once "next" arrived a re-fanned duplicate would have arrived before it.
        await bob.WaitUntilAsync(o => o.Messages.Any(m => m.Seq == 2), "bob gets the next message");
        Assert.Equal([1L, 2], bob.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Transient_message_is_fanned_out_but_not_stored()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, bob) = await TwoMemberGroupAsync(im);
        var conv = im.Conversation(convId);

        var ack = await conv.Send(Text("alice", "typing…") with { Transient = true });
        Assert.Equal(0, ack.Seq);
        await bob.WaitUntilAsync(o => o.Messages.Count == 1, "bob gets the transient message");
        Assert.True(bob.Messages[0].Transient);
        Assert.Equal(0, (await conv.GetHistory(null, 1, 10)).Total);

        var stored = await conv.Send(Text("alice", "real"));
        Assert.Equal(1, stored.Seq);
    }

    [Fact]
    public async Task History_pages_newest_first_and_cursors_work()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        var conv = im.Conversation(convId);
        for (var i = 1; i <= 7; i++) await conv.Send(Text(i % 2 == 0 ? "bob" : "alice", $"m{i}"));

        var page1 = await conv.GetHistory("bob", 1, 3);
        var page3 = await conv.GetHistory(null, 3, 3);
        Assert.Equal(7, page1.Total);
        Assert.Equal([7L, 6, 5], page1.Items.Select(m => m.Seq));
        Assert.Equal([1L], page3.Items.Select(m => m.Seq));
        Assert.Equal(MessageLimits.MaxPageSize, (await conv.GetHistory(null, 1, 10_000)).Size);

        Assert.Equal([3L, 4], (await conv.GetMessagesAfter("alice", 2, 2)).Select(m => m.Seq));
        Assert.Equal([4L, 3], (await conv.GetMessagesBefore("alice", 5, 2)).Select(m => m.Seq));
        Assert.Equal([7L, 6], (await conv.GetMessagesBefore("alice", 0, 2)).Select(m => m.Seq));
    }

    [Fact]
    public async Task Seq_continues_after_another_activation_took_it()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        var conv = im.Conversation(convId);
        await conv.Send(Text("alice", "1"));

        // Simulate a message written by a brief duplicate activation: the grain must reload and retry.
        await im.Messages.AppendAsync(UserGrainTests.Message(convId, 2, from: "bob"));
        var ack = await conv.Send(Text("alice", "3"));
        Assert.Equal(3, ack.Seq);
    }

    [Fact]
    public async Task Members_can_be_added_and_listed()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        await im.LoginAsync("carol");
        var conv = im.Conversation(convId);

        await conv.AddMembers(["carol", "bob"]);
        Assert.Equal(["alice", "bob", "carol"], await conv.GetMembers("carol"));
        Assert.Equal(3, (await conv.GetInfo(null)).MemberCount);
        Assert.Contains(await im.User("carol").GetConversations(), c => c.ConvId == convId);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.UnknownUser, () => conv.AddMembers(["ghost"]));
    }

    [Fact]
    public async Task Delete_removes_conversation_messages_index_row_and_member_entries()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        var conv = im.Conversation(convId);
        await conv.Send(Text("alice", "bye"));

        await conv.Delete();

        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationNotFound, () => conv.GetInfo(null));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationNotFound, () => conv.Send(Text("alice", "again")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.ConversationNotFound, () => conv.Delete());
        Assert.Equal(0, await im.Messages.CountAsync(convId));
        Assert.DoesNotContain(await im.IndexRowsAsync(), r => r.ConvId == convId);
        Assert.DoesNotContain(await im.User("alice").GetConversations(), c => c.ConvId == convId);
        Assert.DoesNotContain(await im.User("bob").GetConversations(), c => c.ConvId == convId);
    }

    [Fact]
    public async Task Update_extend_is_stored_and_indexed()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        var conv = im.Conversation(convId);

        await conv.UpdateExtend("{\"conv_name\":\"renamed\"}");
        var info = await conv.GetInfo("alice");
        Assert.Equal("{\"conv_name\":\"renamed\"}", info.ConvExtend);
        Assert.NotNull(info.MTime);
        Assert.Equal(info, Assert.Single(await im.IndexRowsAsync(), r => r.ConvId == convId));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidParameter, () => conv.UpdateExtend("not json"));
    }

    [Fact]
    public async Task Directory_queries_the_index_and_maps_bad_filters_to_4406()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        var directory = im.Grains.GetGrain<IConversationDirectoryGrain>(App);

        var result = await directory.Query(new ConversationQuery([new ConversationFilter("conv_id", "=", [convId])], 1, 20));
        Assert.Equal(1, result.Total);
        Assert.Equal(convId, result.Items[0].ConvId);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.InvalidParameter,
            () => directory.Query(new ConversationQuery([new ConversationFilter("nope", "=", ["x"])], 1, 20)));
    }

    /// <summary>alice and bob, logged in with one web connection each, in a fresh group conversation.</summary>
    private static async Task<(string ConvId, TestClientObserver Alice, TestClientObserver Bob)> TwoMemberGroupAsync(ImGrainsHarness im)
    {
        await im.LoginAsync("alice");
        await im.LoginAsync("bob");
        var alice = await im.ConnectAsync("alice", DeviceTypes.Web, "alice-web");
        var bob = await im.ConnectAsync("bob", DeviceTypes.Web, "bob-web");
        var convId = ConversationIds.NewId();
        await im.Conversation(convId).Create(new CreateConversationRequest(App, "alice", ["bob"], ConversationTypes.Group, null));
        return (convId, alice, bob);
    }

    [Fact]
    public async Task Send_batch_stores_in_list_order_and_fails_only_the_bad_message()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, bob) = await TwoMemberGroupAsync(im);

        var outcomes = await im.Conversation(convId).SendBatch(
        [
            Text("alice", "one"),
            Text("alice", new string('x', MessageLimits.MaxTextLength + 1)),
            Text("mallory", "not a member"),
            Text("alice", "two"),
        ]);

        Assert.Equal([1L, 0, 0, 2], outcomes.Select(o => o.Result?.Seq ?? 0));
        Assert.Equal([0, ImErrorCodes.LimitExceeded, ImErrorCodes.NotMember, 0], outcomes.Select(o => o.ErrorCode));
        await bob.WaitUntilAsync(o => o.Messages.Count == 2, "bob gets the two good messages");
        Assert.Equal(["one", "two"], bob.Messages.Select(m => m.Text));
        Assert.Equal(2, (await im.Conversation(convId).GetHistory(null, 1, 10)).Total);
    }

    [Fact]
    public async Task Send_batch_gives_gap_free_seqs_around_resends_and_pushes_in_request_order()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, bob) = await TwoMemberGroupAsync(im);
        var first = await im.Conversation(convId).Send(Text("alice", "one") with { ClientMsgId = "c1" });

        var outcomes = await im.Conversation(convId).SendBatch(
        [
            Text("alice", "two") with { ClientMsgId = "c2" },
            Text("alice", "one again") with { ClientMsgId = "c1" }, // a resend of a stored message
            Text("alice", "two again") with { ClientMsgId = "c2" }, // a resend of one earlier in this batch
            Text("alice", "typing") with { Transient = true },      // ends the run: pushed after "two", before "three"
            Text("alice", "three"),
            Text("alice", "four"),
        ]);

        Assert.Equal([2L, 1, 2, 0, 3, 4], outcomes.Select(o => o.Result!.Seq));
        Assert.Equal([false, true, true, false, false, false], outcomes.Select(o => o.Result!.Duplicate));
        Assert.Equal(first.MsgId, outcomes[1].Result!.MsgId);
        Assert.Equal(outcomes[0].Result!.MsgId, outcomes[2].Result!.MsgId);
        await bob.WaitUntilAsync(o => o.Messages.Count == 5, "bob gets each message once, the transient one included");
        Assert.Equal(["one", "two", "typing", "three", "four"], bob.Messages.Select(m => m.Text));
        var history = await im.Conversation(convId).GetMessagesAfter(null, 0, 10);
        Assert.Equal([1L, 2, 3, 4], history.Select(m => m.Seq));
        Assert.Equal(["one", "two", "three", "four"], history.Select(m => m.Text));
    }

    [Fact]
    public async Task Send_batch_is_bounded()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var (convId, _, _) = await TwoMemberGroupAsync(im);
        var tooMany = Enumerable.Range(0, MessageLimits.MaxSendBatch + 1).Select(i => Text("alice", $"m{i}")).ToList();

        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.LimitExceeded, () => im.Conversation(convId).SendBatch(tooMany));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.MissingParameter, () => im.Conversation(convId).SendBatch([]));
    }

    private static SendMessageRequest Text(string from, string text, int noSync = 0) =>
        new(from, MessageTypes.Text, text, null, null, false, noSync, false, null, null);
}
