using System.Text;
using System.Text.Json.Nodes;

namespace OrleansIm.Fuzz;

/// <summary>/ws frames: the valid requests of docs/protocol.md §3 and §8, mutated (types, fields, raw tokens, bytes).</summary>
public sealed class WsFrameGenerator(FuzzContext context)
{
    /// <summary>Server limit on one message (Gateway:MaxFrameBytes default), to go past it.</summary>
    public const int MaxFrameBytes = 64 * 1024;

    public WsFrameInput Generate(int index, Random random)
    {
        var (label, frame) = ValidFrame(random);
        byte[] payload;
        var mutations = random.Next(10) == 0 ? 0 : random.Next(1, 4);
        payload = new JsonMutator(random).MutateToBytes(frame, mutations);
        label += mutations == 0 ? " (valid)" : $" ({mutations} JSON mutation(s))";
        var bytes = new ByteMutator(random);
        switch (random.Next(20))
        {
            case 0:
            case 1:
            case 2:
            case 3:
                payload = bytes.Mutate(payload);
                label += ", bytes damaged";
                break;
            case 4:
                payload = ByteMutator.PadTo(payload, MaxFrameBytes + random.Next(1, 20_000));
                label += ", oversized";
                break;
        }
        var binary = random.Next(40) == 0;
        var fragments = random.Next(8) == 0 ? random.Next(2, 6) : 1;
        return new WsFrameInput(index, label, payload, binary, fragments);
    }

    private (string Label, JsonObject Frame) ValidFrame(Random random)
    {
        var user = Pick(random, context.UserIds);
        var conv = context.ConversationId;
        var callId = "fz-call-" + random.Next(1000);
        JsonNode id = random.Next(2) == 0 ? random.Next(1_000_000) : "r" + random.Next(1000);
        var (type, data) = random.Next(17) switch
        {
            0 => ("login", new JsonObject { ["device_id"] = "d1", ["app_id"] = context.AppId, ["client_id"] = user, ["ext"] = new JsonObject() }),
            1 => ("ping", null),
            2 or 3 or 4 => ("msg.send", new JsonObject
            {
                ["conv_id"] = conv, ["type"] = -1 - random.Next(6), ["text"] = "fuzz " + random.Next(), ["attr"] = new JsonObject { ["k"] = 1 },
                ["url"] = "http://x/a.png", ["transient"] = random.Next(2), ["no_sync"] = random.Next(2), ["mention_all"] = 0,
                ["mention_client_ids"] = new JsonArray(user), ["client_msg_id"] = "c-" + random.Next(100_000),
            }),
            5 => ("msg.history", new JsonObject { ["conv_id"] = conv, ["page"] = 1, ["size"] = 20 }),
            6 => ("msg.history", new JsonObject { ["conv_id"] = conv, [random.Next(2) == 0 ? "before_seq" : "after_seq"] = random.Next(50), ["limit"] = 20 }),
            7 => ("msg.sync", new JsonObject { ["cursors"] = new JsonObject { [conv] = 0 }, ["limit"] = 10 }),
            8 => ("msg.read", new JsonObject { ["conv_id"] = conv, ["seq"] = random.Next(10) }),
            9 => ("conv.list", null),
            10 => ("presence.query", new JsonObject { ["user_ids"] = new JsonArray(user, Pick(random, context.UserIds)) }),
            11 => ("presence.subscribe", new JsonObject { ["user_ids"] = new JsonArray(user) }),
            12 => ("presence.unsubscribe", new JsonObject { ["user_ids"] = new JsonArray(user) }),
            13 => ("call.request", new JsonObject
            {
                ["callId"] = callId, ["type"] = random.Next(2) == 0 ? "VIDEO" : "AUDIO", ["callee"] = user, ["callerUserName"] = "A", ["calleeUserName"] = "B",
            }),
            14 => ("call.response", new JsonObject { ["callId"] = callId, ["type"] = random.Next(2) == 0 ? "ACCEPT" : "REJECT" }),
            15 => (random.Next(2) == 0 ? "call.hangup" : "turn.credentials", new JsonObject { ["callId"] = callId }),
            _ => ("rtc.signaling", new JsonObject { ["callId"] = callId, ["type"] = "OFFER", ["payload"] = "v=0\r\no=- 1 1 IN IP4 127.0.0.1" }),
        };
        var frame = new JsonObject { ["type"] = type, ["id"] = id };
        if (data is not null) frame["data"] = data;
        return (type, frame);
    }

    internal static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
