using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>The <see cref="IMessageStore"/> contract; every implementation runs it through a subclass.</summary>
public abstract class MessageStoreContractTests : IAsyncLifetime
{
    protected const string Conv = "c0ffee00c0ffee00c0ffee00c0ffee00";

    protected IMessageStore Store { get; set; } = null!;

    protected abstract Task<IMessageStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static ChatMessage Message(long seq, string conv = Conv, string from = "alice", string? clientMsgId = null) => new(
        ConvId: conv, Seq: seq, MsgId: $"m-{conv}-{seq}-{from}", FromClient: from, Type: MessageTypes.Text, Text: $"hello {seq}",
        Attr: """{"k":1}""", Url: null, CTime: 1_700_000_000_000 + seq, Transient: false, NoSync: 0, MentionAll: seq % 2 == 0,
        MentionClientIds: """["bob"]""", ClientMsgId: clientMsgId);

    protected async Task AppendRangeAsync(int count, string conv = Conv)
    {
        for (var seq = 1; seq <= count; seq++) await Store.AppendAsync(Message(seq, conv));
    }

    [Fact]
    public async Task Append_stores_every_field()
    {
        var message = Message(1, clientMsgId: "client-1") with { Url = "https://example.com/a.png", NoSync = 1 };

        var (stored, duplicate) = await Store.AppendAsync(message);

        Assert.False(duplicate);
        Assert.Equal(message, stored);
        Assert.Equal(message, Assert.Single(await Store.GetAfterAsync(Conv, 0, 10)));
    }

    [Fact]
    public async Task Resend_with_same_client_msg_id_returns_the_stored_message_as_duplicate()
    {
        var original = (await Store.AppendAsync(Message(1, clientMsgId: "client-1"))).Stored;

        var resend = Message(2, clientMsgId: "client-1") with { MsgId = "another-id", Text = "retry" };
        var (stored, duplicate) = await Store.AppendAsync(resend);

        Assert.True(duplicate);
        Assert.Equal(original, stored);
        Assert.Equal(1, await Store.CountAsync(Conv));
        Assert.Equal(1, await Store.GetLastSeqAsync(Conv));
    }

    [Fact]
    public async Task Client_msg_id_is_scoped_to_sender_and_conversation()
    {
        await Store.AppendAsync(Message(1, clientMsgId: "same"));

        var otherSender = await Store.AppendAsync(Message(2, from: "bob", clientMsgId: "same"));
        var otherConv = await Store.AppendAsync(Message(1, conv: "other", clientMsgId: "same"));

        Assert.False(otherSender.Duplicate);
        Assert.False(otherConv.Duplicate);
        Assert.Equal(2, await Store.CountAsync(Conv));
    }

    [Fact]
    public async Task Messages_without_client_msg_id_are_never_deduplicated()
    {
        await Store.AppendAsync(Message(1) with { MsgId = "a" });
        var second = await Store.AppendAsync(Message(2) with { MsgId = "b" });

        Assert.False(second.Duplicate);
        Assert.Equal(2, await Store.CountAsync(Conv));
    }

    [Fact]
    public async Task Taken_seq_throws_sequence_conflict_and_keeps_the_first_message()
    {
        var first = (await Store.AppendAsync(Message(1))).Stored;

        var ex = await Assert.ThrowsAsync<SequenceConflictException>(
            () => Store.AppendAsync(Message(1, from: "bob", clientMsgId: "x")));

        Assert.Equal(Conv, ex.ConvId);
        Assert.Equal(1, ex.Seq);
        Assert.Equal(first, Assert.Single(await Store.GetAfterAsync(Conv, 0, 10)));
        // The failed append left no client_msg_id behind: a later append with it is new, not a duplicate.
        Assert.False((await Store.AppendAsync(Message(2, from: "bob", clientMsgId: "x"))).Duplicate);
    }

    [Fact]
    public async Task Append_batch_numbers_consecutively_and_a_duplicate_takes_no_seq()
    {
        var original = (await Store.AppendAsync(Message(1, clientMsgId: "c1"))).Stored;

        // Drafts after the first carry random ids; the store gives each the seq it takes and the id naming that seq.
        var b4 = MessageIds.NewRandom();
        var results = await Store.AppendBatchAsync(
        [
            Message(2, clientMsgId: "c2") with { MsgId = "b1" },
            Message(0, clientMsgId: "c1") with { MsgId = MessageIds.NewRandom() }, // stored before
            Message(0, clientMsgId: "c2") with { MsgId = MessageIds.NewRandom() }, // the first of this batch
            Message(0) with { MsgId = b4 },
        ]);

        Assert.Equal([2L, 1, 2, 3], results.Select(r => r.Stored.Seq));
        Assert.Equal([false, true, true, false], results.Select(r => r.Duplicate));
        Assert.Equal(original, results[1].Stored);
        Assert.Equal("b1", results[2].Stored.MsgId);
        Assert.Equal(MessageIds.ForSeq(3, b4), results[3].Stored.MsgId);
        Assert.Equal(["b1", MessageIds.ForSeq(3, b4)], (await Store.GetAfterAsync(Conv, 1, 10)).Select(m => m.MsgId));
        Assert.Equal(3, await Store.GetLastSeqAsync(Conv));
    }

    [Fact]
    public async Task Append_batch_with_a_taken_seq_writes_none_of_it()
    {
        await AppendRangeAsync(2);

        var ex = await Assert.ThrowsAsync<SequenceConflictException>(() => Store.AppendBatchAsync(
            [Message(2, from: "bob", clientMsgId: "x") with { MsgId = "n1" }, Message(0, from: "bob") with { MsgId = MessageIds.NewRandom() }]));
        Assert.Equal(2, ex.Seq);
        var conflictLater = await Assert.ThrowsAsync<SequenceConflictException>(() => Store.AppendBatchAsync(
            [Message(1, from: "bob", clientMsgId: "y") with { MsgId = "n3" }, Message(0, from: "bob") with { MsgId = MessageIds.NewRandom() }]));
        Assert.Equal(1, conflictLater.Seq);

        Assert.Equal(2, await Store.CountAsync(Conv));
        Assert.False((await Store.AppendAsync(Message(3, from: "bob", clientMsgId: "x"))).Duplicate);
    }

    [Fact]
    public async Task Append_batch_rejects_empty_and_mixed_conversations()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.AppendBatchAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendBatchAsync([Message(1), Message(2, conv: "other")]));
        Assert.Equal(0, await Store.CountAsync(Conv));
    }

    [Fact]
    public async Task Appending_the_same_message_again_is_a_duplicate_not_a_conflict()
    {
        var first = (await Store.AppendAsync(Message(1))).Stored;

        var (stored, duplicate) = await Store.AppendAsync(Message(1));

        Assert.True(duplicate);
        Assert.Equal(first, stored);
    }

    [Fact]
    public async Task Concurrent_appends_of_the_same_seq_exactly_one_wins()
    {
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await Store.AppendAsync(Message(1, from: $"user{i}"))).Duplicate ? "duplicate" : "won";
            }
            catch (SequenceConflictException)
            {
                return "conflict";
            }
        })).ToList();

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r == "won");
        Assert.Equal(19, results.Count(r => r == "conflict"));
        Assert.Equal(1, await Store.CountAsync(Conv));
    }

    [Fact]
    public async Task Pages_are_newest_first_and_one_based()
    {
        await AppendRangeAsync(25);

        Assert.Equal(Seqs(25, 16), SeqsOf(await Store.GetPageAsync(Conv, 1, 10)));
        Assert.Equal(Seqs(15, 6), SeqsOf(await Store.GetPageAsync(Conv, 2, 10)));
        Assert.Equal(Seqs(5, 1), SeqsOf(await Store.GetPageAsync(Conv, 3, 10)));
        Assert.Empty(await Store.GetPageAsync(Conv, 4, 10));
        Assert.Empty(await Store.GetPageAsync("no-such-conv", 1, 10));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 0)]
    public async Task Page_and_size_below_one_are_rejected(int page, int size)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetPageAsync(Conv, page, size));
    }

    [Fact]
    public async Task After_is_ascending_and_limited()
    {
        await AppendRangeAsync(25);

        Assert.Equal(Seqs(21, 23), SeqsOf(await Store.GetAfterAsync(Conv, 20, 3)));
        Assert.Equal(Seqs(24, 25), SeqsOf(await Store.GetAfterAsync(Conv, 23, 10)));
        Assert.Empty(await Store.GetAfterAsync(Conv, 25, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetAfterAsync(Conv, 0, 0));
    }

    [Fact]
    public async Task Before_is_descending_and_limited()
    {
        await AppendRangeAsync(25);

        Assert.Equal(Seqs(4, 1), SeqsOf(await Store.GetBeforeAsync(Conv, 5, 10)));
        Assert.Equal(Seqs(19, 17), SeqsOf(await Store.GetBeforeAsync(Conv, 20, 3)));
        Assert.Empty(await Store.GetBeforeAsync(Conv, 1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetBeforeAsync(Conv, 5, 0));
    }

    [Fact]
    public async Task Count_and_last_seq_per_conversation()
    {
        await AppendRangeAsync(7);
        await AppendRangeAsync(3, "other");

        Assert.Equal(7, await Store.CountAsync(Conv));
        Assert.Equal(7, await Store.GetLastSeqAsync(Conv));
        Assert.Equal(3, await Store.GetLastSeqAsync("other"));
        Assert.Equal(0, await Store.CountAsync("none"));
        Assert.Equal(0, await Store.GetLastSeqAsync("none"));
    }

    [Fact]
    public async Task Delete_removes_only_that_conversation()
    {
        await AppendRangeAsync(5);
        await AppendRangeAsync(2, "other");

        await Store.DeleteConversationAsync(Conv);

        Assert.Equal(0, await Store.CountAsync(Conv));
        Assert.Equal(0, await Store.GetLastSeqAsync(Conv));
        Assert.Equal(2, await Store.CountAsync("other"));
        // The conversation's seqs are free again.
        Assert.False((await Store.AppendAsync(Message(1))).Duplicate);
    }

    [Fact]
    public async Task Many_concurrent_appends_all_commit()
    {
        const int conversations = 8, perConversation = 100;

        // Several tasks per conversation, each owning a disjoint slice of seqs, all in flight at once.
        var appends = Enumerable.Range(0, conversations).SelectMany(c => Enumerable.Range(0, 4).Select(slice => Task.Run(async () =>
        {
            for (var seq = slice + 1; seq <= perConversation; seq += 4)
                Assert.False((await Store.AppendAsync(Message(seq, conv: $"conv{c}", clientMsgId: $"cm{seq}"))).Duplicate);
        }))).ToList();
        await Task.WhenAll(appends);

        for (var c = 0; c < conversations; c++)
        {
            Assert.Equal(perConversation, await Store.CountAsync($"conv{c}"));
            Assert.Equal(perConversation, await Store.GetLastSeqAsync($"conv{c}"));
        }
    }

    [Fact]
    public async Task Last_messages_answers_the_newest_message_of_each_conversation_in_one_call()
    {
        await AppendRangeAsync(3, "conv-a");
        await AppendRangeAsync(5, "conv-b");

        var last = await Store.GetLastMessagesAsync(["conv-a", "conv-b", "conv-empty"]);

        Assert.Equal([("conv-a", 3L), ("conv-b", 5L)], last.Select(m => (m.ConvId, m.Seq)).OrderBy(x => x.ConvId).ToList());
        Assert.Equal(Message(5, "conv-b"), last.Single(m => m.ConvId == "conv-b")); // every field, as stored
        Assert.Empty(await Store.GetLastMessagesAsync([]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.GetLastMessagesAsync(Enumerable.Range(0, IMessageStore.MaxBatch + 1).Select(i => $"c{i}").ToList()));
    }

    [Fact]
    public async Task Count_unread_counts_others_messages_after_the_cursor_up_to_the_cap()
    {
        // conv-a: 1 bob, 2 alice, 3 bob, 4 bob, 5 alice
        string[] senders = ["bob", "alice", "bob", "bob", "alice"];
        for (var i = 0; i < senders.Length; i++) await Store.AppendAsync(Message(i + 1, "conv-a", senders[i]));
        await AppendRangeAsync(4, "conv-b"); // all from alice

        var counts = await Store.CountUnreadAsync("alice", [new("conv-a", 0), new("conv-b", 0), new("conv-none", 0)], cap: 100);
        Assert.Equal(3, counts["conv-a"]);
        Assert.Equal(0, counts["conv-b"]); // one's own messages are never unread
        Assert.Equal(0, counts["conv-none"]);

        Assert.Equal(2, (await Store.CountUnreadAsync("alice", [new("conv-a", 2)], cap: 100))["conv-a"]);
        Assert.Equal(0, (await Store.CountUnreadAsync("alice", [new("conv-a", 5)], cap: 100))["conv-a"]);
        Assert.Equal(2, (await Store.CountUnreadAsync("alice", [new("conv-a", 0)], cap: 2))["conv-a"]); // capped
        Assert.Equal(4, (await Store.CountUnreadAsync("bob", [new("conv-b", 0)], cap: 100))["conv-b"]);
    }

    protected static List<long> Seqs(long from, long to) =>
        from <= to ? [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i)]
                   : [.. Enumerable.Range((int)to, (int)(from - to + 1)).Select(i => (long)i).Reverse()];

    protected static List<long> SeqsOf(IEnumerable<ChatMessage> messages) => messages.Select(m => m.Seq).ToList();
}
