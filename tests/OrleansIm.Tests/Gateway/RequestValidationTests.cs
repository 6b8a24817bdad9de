using System.Text.Json;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class RequestValidationTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static int CodeOf(Action action) => Assert.Throws<ImException>(action).Code;

    [Fact]
    public void Where_clause_accepts_seed_examples()
    {
        var filters = WhereClauseParser.Parse("""[["conv_id","=","e7c42cf35bd47c216f4b8e205e1fc0ca"],["conv_type","in",[1,2]]]""");
        Assert.Equal(2, filters.Count);
        Assert.Equal(["1", "2"], filters[1].Values);
    }

    [Theory]
    [InlineData("not json", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"a":1}""", ImErrorCodes.InvalidParameter)]
    [InlineData("""[["nope","=","x"]]""", ImErrorCodes.InvalidParameter)]
    [InlineData("""[["conv_id","like","x"]]""", ImErrorCodes.InvalidParameter)]
    [InlineData("""[["conv_id","in","x"]]""", ImErrorCodes.InvalidParameter)]
    [InlineData("""[["conv_id","="]]""", ImErrorCodes.InvalidParameter)]
    public void Bad_where_is_4406(string where, int code) => Assert.Equal(code, CodeOf(() => WhereClauseParser.Parse(where)));

    [Fact]
    public void Send_parser_accepts_seed_fields()
    {
        var request = SendMessageParser.Parse(Json("""
            {"type":-1,"text":"HELLO !","attr":{"k":1},"url":"http://x","transient":"0","no_sync":1,
             "mention_all":true,"mention_client_ids":["a",2],"client_msg_id":"c1"}
            """), "me");
        Assert.Equal("me", request.FromClient);
        Assert.Equal("""{"k":1}""", request.Attr);
        Assert.False(request.Transient);
        Assert.Equal(1, request.NoSync);
        Assert.True(request.MentionAll);
        Assert.Equal("""["a","2"]""", request.MentionClientIds);
        Assert.Equal("c1", request.ClientMsgId);
    }

    [Theory]
    [InlineData("""{}""", ImErrorCodes.MissingParameter)]
    [InlineData("""{"type":-1}""", ImErrorCodes.MissingParameter)]
    [InlineData("""{"type":"x","text":"a"}""", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"type":-9,"text":"a"}""", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"type":-1,"text":5}""", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"type":-1,"text":"a","transient":7}""", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"type":-1,"text":"a","mention_client_ids":["bad id!"]}""", ImErrorCodes.InvalidUserId)]
    public void Send_parser_rejects_bad_input(string json, int code) =>
        Assert.Equal(code, CodeOf(() => SendMessageParser.Parse(Json(json), "me")));

    [Fact]
    public void Text_over_the_limit_is_4013()
    {
        var json = JsonSerializer.Serialize(new { type = -1, text = new string('x', MessageLimits.MaxTextLength + 1) });
        Assert.Equal(ImErrorCodes.LimitExceeded, CodeOf(() => SendMessageParser.Parse(Json(json), "me")));
    }

    [Fact]
    public void Numeric_user_ids_are_accepted_as_strings()
    {
        Assert.Equal("2", JsonFields.RequiredUserId(Json("""{"from_client":2}"""), "from_client"));
        Assert.Equal(ImErrorCodes.InvalidUserId, CodeOf(() => JsonFields.RequiredUserId(Json("""{"id":"a b"}"""), "id")));
        Assert.Equal(ImErrorCodes.InvalidParameter, CodeOf(() => JsonFields.RequiredUserId(Json("""{"id":true}"""), "id")));
    }
}
