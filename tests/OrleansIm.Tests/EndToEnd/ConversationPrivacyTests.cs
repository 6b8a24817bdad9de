using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Private conversation ids are predictable (a hash of the app id and the two users), so a socket must not learn
/// whether two other users talk: for an outsider, a conversation that exists answers exactly like one that does not.
/// </summary>
public sealed class ConversationPrivacyTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_outsider_gets_the_same_answer_for_an_existing_and_a_missing_conversation()
    {
        var (a, b, outsider) = (NodeFixture.NewUserId("pa"), NodeFixture.NewUserId("pb"), NodeFixture.NewUserId("out"));
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var token = await Node.LoginAsync(outsider);
        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        var existing = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        var missing = ConversationIds.NewId();
        await using var socket = await Node.ConnectAsync(token);

        var sync = await socket.AckAsync("msg.sync", new { cursors = new Dictionary<string, long> { [existing] = 0, [missing] = 0 } });
        var answers = sync.GetProperty("conversations").EnumerateArray()
            .ToDictionary(c => c.GetProperty("conv_id").GetString()!, c => (c.GetProperty("code").GetInt32(), c.GetProperty("msg").GetString()!));
        Assert.Equal(ImErrorCodes.NotMember, answers[existing].Item1);
        Assert.Equal(answers[existing].Item1, answers[missing].Item1);
        Assert.Equal(answers[existing].Item2.Replace(existing, "ID"), answers[missing].Item2.Replace(missing, "ID"));

        foreach (var (type, data) in new (string, Func<string, object>)[]
                 {
                     ("msg.history", id => new { conv_id = id }),
                     ("msg.send", id => new { conv_id = id, type = -1, text = "probe" }),
                 })
        {
            var forExisting = await socket.ExpectErrorAsync(type, data(existing), ImErrorCodes.NotMember);
            var forMissing = await socket.ExpectErrorAsync(type, data(missing), ImErrorCodes.NotMember);
            Assert.Equal(forExisting.GetProperty("msg").GetString()!.Replace(existing, "ID"), forMissing.GetProperty("msg").GetString()!.Replace(missing, "ID"));
        }
    }
}
