using System.Text;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class FrameParserTests
{
    private static IncomingFrame Parse(string json) => FrameParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parses_type_id_and_data()
    {
        var frame = Parse("""{"type":"ping","id":7,"data":{"a":1}}""");
        Assert.Equal("ping", frame.Type);
        Assert.Equal("7", frame.Id!.ToJsonString());
        Assert.Equal(1, frame.Data.GetProperty("a").GetInt32());
    }

    [Fact]
    public void Missing_data_is_an_empty_object()
    {
        var frame = Parse("""{"type":"ping","id":"x"}""");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, frame.Data.ValueKind);
    }

    [Theory]
    [InlineData("{not json", ImErrorCodes.InvalidParameter)]
    [InlineData("[1,2]", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"id":1}""", ImErrorCodes.MissingParameter)]
    [InlineData("""{"type":5,"id":1}""", ImErrorCodes.InvalidParameter)]
    [InlineData("""{"type":"ping","id":1,"data":[1]}""", ImErrorCodes.InvalidParameter)]
    public void Bad_frames_have_their_code(string json, int code)
    {
        var e = Assert.Throws<FrameParseException>(() => Parse(json));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public void Error_keeps_the_id_when_it_could_be_read()
    {
        var e = Assert.Throws<FrameParseException>(() => Parse("""{"type":1,"id":"abc"}"""));
        Assert.Equal("\"abc\"", e.Id!.ToJsonString());
    }
}
