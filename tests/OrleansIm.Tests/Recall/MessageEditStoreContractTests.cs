using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>
/// The recall / delete-for-self / clear-history part of the <see cref="IMessageStore"/> contract; every implementation
/// runs it through a subclass (Memory, SQLite, PostgreSQL).
/// </summary>
public abstract class MessageEditStoreContractTests : IAsyncLifetime
{
    protected const string Conv = "c0ffee00c0ffee00c0ffee00c0ffee01";
    private const string Other = "c0ffee00c0ffee00c0ffee00c0ffee02";

    protected IMessageStore Store { get; set; } = null!;

    protected abstract Task<IMessageStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The id the conversation gives its message at <paramref name="seq"/> (ids name their seq; the tail is the conversation's id here).</summary>
    protected static string Id(long seq, string conv = Conv) => MessageIds.ForSeq(seq, conv);

    protected static ChatMessage Message(long seq, string conv = Conv) => new(
        ConvId: conv, Seq: seq, MsgId: Id(seq, conv), FromClient: "alice", Type: MessageTypes.Text, Text: $"hello {seq}",
        Attr: """{"k":1}""", Url: "https://example.com/a.png", CTime: 1_700_000_000_000 + seq, Transient: false, NoSync: 0,
        MentionAll: true, MentionClientIds: """["bob"]""", ClientMsgId: $"cm{seq}");

    protected async Task AppendRangeAsync(int count, string conv = Conv)
    {
        for (var seq = 1; seq <= count; seq++) await Store.AppendAsync(Message(seq, conv));
    }

    private static long[] Seqs(IEnumerable<ChatMessage> messages) => messages.Select(m => m.Seq).ToArray();

    [Fact]
    public async Task Recall_clears_the_content_keeps_the_place_and_is_read_back_by_every_read()
    {
        await AppendRangeAsync(3);

        var recalled = await Store.RecallAsync(Conv, 2);

        Assert.NotNull(recalled);
        Assert.Equal(Message(2) with { Text = null, Attr = null, Url = null, MentionAll = false, MentionClientIds = null, Recalled = true }, recalled);
        Assert.Equal(recalled, (await Store.GetAfterAsync(Conv, 1, 1)).Single());
        Assert.Equal(recalled, (await Store.GetBeforeAsync(Conv, 3, 1)).Single());
        Assert.Equal(recalled, (await Store.GetPageAsync(Conv, 2, 1)).Single());
        Assert.Equal(3, await Store.CountAsync(Conv));
        Assert.Equal(3, await Store.GetLastSeqAsync(Conv));
        Assert.False((await Store.GetAfterAsync(Conv, 0, 1)).Single().Recalled);
        // The idempotency key stays: a resend of the recalled message is still a duplicate, answered with the recalled row.
        var (stored, duplicate) = await Store.AppendAsync(Message(4) with { ClientMsgId = "cm2" });
        Assert.True(duplicate);
        Assert.True(stored.Recalled);
    }

    [Fact]
    public async Task Recall_of_a_missing_message_returns_null()
    {
        await AppendRangeAsync(1);
        Assert.Null(await Store.RecallAsync(Conv, 2));
        Assert.Null(await Store.RecallAsync(Other, 1));
    }

    [Fact]
    public async Task Messages_are_found_by_msg_id_within_their_conversation_only()
    {
        await AppendRangeAsync(3);
        await AppendRangeAsync(1, Other);

        // An id that names seq 2 but is not its message's id finds nothing: the stored id must match.
        var found = await Store.FindByMsgIdsAsync(Conv, [Id(3), Id(1), Id(1), "nope", Id(1, Other), MessageIds.ForSeq(2, Other)]);

        Assert.Equal(new long[] { 1L, 3L }, Seqs(found).Order());
        Assert.Empty(await Store.FindByMsgIdsAsync(Conv, []));
    }

    [Fact]
    public async Task Hidden_messages_are_left_out_of_that_viewers_reads_only()
    {
        await AppendRangeAsync(6);

        Assert.True(await Store.HideForUserAsync("bob", Conv, [2, 5], 10));

        Assert.Equal(new long[] { 1L, 3, 4, 6 }, Seqs(await Store.GetAfterAsync(Conv, 0, 10, "bob")));
        Assert.Equal(new long[] { 6L, 4, 3, 1 }, Seqs(await Store.GetBeforeAsync(Conv, long.MaxValue, 10, "bob")));
        // Paging counts only what the viewer sees, so pages stay full and the total matches.
        Assert.Equal(new long[] { 3L, 1 }, Seqs(await Store.GetPageAsync(Conv, 2, 2, "bob")));
        Assert.Equal(4, await Store.CountAsync(Conv, "bob"));
        // A limit counts visible rows: the hidden 2 does not use up the limit of 2.
        Assert.Equal(new long[] { 1L, 3 }, Seqs(await Store.GetAfterAsync(Conv, 0, 2, "bob")));
        Assert.Equal(6, await Store.CountAsync(Conv, "carol"));
        Assert.Equal(6, await Store.CountAsync(Conv));
        Assert.Equal(6, (await Store.GetAfterAsync(Conv, 0, 10)).Count);
    }

    [Fact]
    public async Task Hiding_past_the_cap_writes_nothing_and_hiding_again_costs_nothing()
    {
        await AppendRangeAsync(5);
        Assert.True(await Store.HideForUserAsync("bob", Conv, [1, 2, 3], 3));

        Assert.True(await Store.HideForUserAsync("bob", Conv, [2, 3], 3));
        Assert.False(await Store.HideForUserAsync("bob", Conv, [3, 4], 3));

        Assert.Equal(new long[] { 4L, 5 }, Seqs(await Store.GetAfterAsync(Conv, 0, 10, "bob")));
        // The cap is per user and conversation.
        Assert.True(await Store.HideForUserAsync("carol", Conv, [4, 5], 3));
    }

    [Fact]
    public async Task Clearing_hides_everything_up_to_the_point_only_moves_forward_and_frees_the_hidden_rows_below_it()
    {
        await AppendRangeAsync(5);
        Assert.True(await Store.HideForUserAsync("bob", Conv, [2, 5], 2));

        Assert.Equal(3, await Store.ClearForUserAsync("bob", Conv, 3));
        Assert.Equal(3, await Store.ClearForUserAsync("bob", Conv, 1));

        Assert.Equal(new long[] { 4L }, Seqs(await Store.GetAfterAsync(Conv, 0, 10, "bob")));
        Assert.Equal(1, await Store.CountAsync(Conv, "bob"));
        // Seq 2's row went with the clear: the cap of 2 has room for one more; seqs at or below the point need no row.
        Assert.True(await Store.HideForUserAsync("bob", Conv, [1, 4], 2));
        Assert.Empty(await Store.GetAfterAsync(Conv, 0, 10, "bob"));
        await Store.AppendAsync(Message(6));
        Assert.Equal(new long[] { 6L }, Seqs(await Store.GetBeforeAsync(Conv, long.MaxValue, 10, "bob")));
        Assert.Equal(6, await Store.CountAsync(Conv, "alice"));
    }

    [Fact]
    public async Task Deleting_a_conversation_forgets_its_hidden_rows_and_cleared_points()
    {
        await AppendRangeAsync(3);
        await AppendRangeAsync(2, Other);
        await Store.HideForUserAsync("bob", Conv, [3], 10);
        await Store.ClearForUserAsync("bob", Conv, 2);
        await Store.ClearForUserAsync("bob", Other, 1);

        await Store.DeleteConversationAsync(Conv);
        await AppendRangeAsync(3);

        Assert.Equal(3, await Store.CountAsync(Conv, "bob"));
        Assert.Equal(new long[] { 2L }, Seqs(await Store.GetAfterAsync(Other, 0, 10, "bob")));
    }
}
