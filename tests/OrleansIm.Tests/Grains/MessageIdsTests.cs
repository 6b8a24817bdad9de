using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Grains;

public sealed class MessageIdsTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(12L)]
    [InlineData(4_294_967_296L)]
    [InlineData(MessageIds.MaxSeq)]
    public void An_id_names_its_seq_and_keeps_the_drafts_random_tail(long seq)
    {
        var draft = MessageIds.NewRandom();

        var id = MessageIds.ForSeq(seq, draft);

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(draft[12..], id[12..]);
        Assert.True(MessageIds.TryGetSeq(id, out var named));
        Assert.Equal(seq, named);
    }

    [Fact]
    public void Ids_of_one_seq_from_two_drafts_differ()
    {
        Assert.NotEqual(MessageIds.ForSeq(5, MessageIds.NewRandom()), MessageIds.ForSeq(5, MessageIds.NewRandom()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("000000000000ffffffffffffffffffff")] // seq 0: no stored message has it
    [InlineData("zz0000000001ffffffffffffffffffff")]
    [InlineData("000000000001ffffffffffffffffffff0")]
    public void Strings_that_name_no_seq_are_refused(string? id)
    {
        Assert.False(MessageIds.TryGetSeq(id, out _));
    }

    [Fact]
    public void Seqs_outside_the_prefix_and_foreign_drafts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageIds.ForSeq(0, MessageIds.NewRandom()));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageIds.ForSeq(MessageIds.MaxSeq + 1, MessageIds.NewRandom()));
        Assert.Throws<ArgumentException>(() => MessageIds.ForSeq(1, "short"));
    }

    [Fact]
    public void A_message_moved_to_another_seq_gets_that_seqs_id_and_one_already_there_is_kept()
    {
        var draft = new ChatMessage("c", 0, MessageIds.NewRandom(), "alice", 0, "hi", null, null, 1, false, 0, false, null, null);

        var at7 = draft.WithSeq(7);

        Assert.Equal(7, at7.Seq);
        Assert.Equal(MessageIds.ForSeq(7, draft.MsgId), at7.MsgId);
        Assert.Same(at7, at7.WithSeq(7));
    }
}
