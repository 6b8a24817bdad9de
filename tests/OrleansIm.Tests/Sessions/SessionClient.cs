using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Sessions;

/// <summary>Set-up steps the session, receipt and sync tests share: users, conversations, sends, the sync's frames.</summary>
internal static class SessionClient
{
    /// <summary>The frames of a login sync, in the order they arrive.</summary>
    public static readonly string[] SyncFrameTypes = ["syncMyNameCard", "sessions", "syncOfflineMsgs", "syncRoamingMsgs", "syncSysMsgs", "syncdone", "error"];

    public static async Task<string> CreateConversationAsync(TestNode node, string creator, int convType, params string[] others)
    {
        var (status, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = creator, to_client_ids = others, conv_type = convType }));
        Assert.Equal(HttpStatusCode.OK, status);
        return created.GetProperty("data").GetProperty("conv_id").GetString()!;
    }

    /// <summary>Sends texts in order; returns the ack of the last.</summary>
    /// <summary>Two new users (alice…, bob…) logged in, and a private conversation between them.</summary>
    public static async Task<(string A, string B, string TokenA, string TokenB, string ConvId)> PrivatePairAsync(TestNode node)
    {
        var a = NodeFixture.NewUserId("alice");
        var b = NodeFixture.NewUserId("bob");
        var tokenA = await node.LoginAsync(a);
        var tokenB = await node.LoginAsync(b);
        return (a, b, tokenA, tokenB, await CreateConversationAsync(node, a, ConversationTypes.Private, b));
    }

    public static async Task<JsonElement> SendAsync(ImSocket socket, string convId, int count, string text = "m")
    {
        JsonElement ack = default;
        for (var i = 1; i <= count; i++) ack = await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = $"{text}{i}" });
        return ack;
    }

    /// <summary>
    /// Sends one message whose time is later than <paramref name="after"/> (sessions are ordered by the newest message's
    /// ms time, so an order test must not depend on two sends landing in different milliseconds by chance).
    /// </summary>
    public static async Task<long> SendLaterThanAsync(ImSocket socket, string convId, long after)
    {
        while (true)
        {
            var time = (await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "later" })).GetProperty("time").GetInt64();
            if (time > after) return time;
        }
    }

    /// <summary>Sends a sync frame and collects every frame it produces, in arrival order, up to syncdone (or an error).</summary>
    public static async Task<List<JsonElement>> SyncAsync(ImSocket socket, object options)
    {
        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "sync", id = "s1", data = options }));
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await socket.WaitForAsync(f => SyncFrameTypes.Contains(f.GetProperty("type").GetString()));
            frames.Add(frame);
            if (frame.GetProperty("type").GetString() is "syncdone" or "error") return frames;
        }
    }

    public static JsonElement Data(List<JsonElement> frames, string type) => frames.Single(f => f.GetProperty("type").GetString() == type).GetProperty("data");

    public static JsonElement Session(JsonElement sessionsData, string convId) =>
        sessionsData.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("conv_id").GetString() == convId);

    public static List<long> Seqs(JsonElement messages) => messages.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList();

    /// <summary>The seqs of one conversation's entry in a syncOfflineMsgs / syncRoamingMsgs frame.</summary>
    public static List<long> SyncedSeqs(JsonElement data, string convId) =>
        Seqs(data.GetProperty("conversations").EnumerateArray().Single(c => c.GetProperty("conv_id").GetString() == convId).GetProperty("messages"));
}
