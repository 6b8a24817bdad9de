using System.Text;
using System.Text.Json.Nodes;

namespace OrleansIm.Fuzz;

/// <summary>
/// STOMP frames (docs/stomp.md): first frames (CONNECT with odd versions, heart-beats, tokens, device types) and
/// frames on a session (SEND to every destination, SUBSCRIBE, transactions…), with damaged commands, headers,
/// escapes, content-lengths, NULs and bodies.
/// </summary>
public sealed class StompFrameGenerator(FuzzContext context)
{
    /// <summary>Server limit on one frame (Gateway:StompMaxFrameBytes default).</summary>
    public const int MaxFrameBytes = 128 * 1024;

    private static readonly string[] HeartBeats =
        ["0,0", "10000,10000", "1,1", "-1,-1", "a,b", "", "1", "1,2,3", ",", "2147483648,1", "99999999999999999999,0", " 1 , 1 ", "0,-5", "1000,0"];

    private static readonly string[] Versions = ["1.2", "1.1,1.2", "1.0", "1.3", "", "2.0,3.0", "1.2,,", "abc", "1.1", "1.2\\c1.1"];

    private static readonly string[] Commands =
        ["SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "CONNECT", "STOMP", "MESSAGE", "send", "", " SEND", "SEND ", "ÿÿ", "CONNECTED", "ERROR", "RECEIPT"];

    private static readonly string[] Subprotocols = ["v12.stomp", "v11.stomp", "v10.stomp", "stomp", "chat"];

    public StompInput Generate(int index, Random random)
    {
        var beforeConnect = random.Next(5) == 0;
        var builder = beforeConnect ? ConnectFrame(random) : SessionFrame(random);
        var label = builder.Label;
        var mutations = random.Next(8) == 0 ? 0 : random.Next(1, 4);
        for (var i = 0; i < mutations; i++) label += ", " + builder.Mutate(random);
        var payload = builder.ToBytes();
        if (random.Next(12) == 0)
        {
            payload = new ByteMutator(random).Mutate(payload);
            label += ", bytes damaged";
        }
        if (random.Next(60) == 0)
        {
            payload = [.. payload, .. Enumerable.Repeat((byte)'x', MaxFrameBytes + 10)];
            label += ", oversized";
        }
        if (random.Next(10) == 0)
        {
            payload = [.. Enumerable.Repeat((byte)'\n', random.Next(1, 5)), .. payload];
            label += ", heart-beats first";
        }
        var subprotocol = beforeConnect && random.Next(4) == 0 ? (random.Next(5) == 0 ? null : WsFrameGenerator.Pick(random, Subprotocols)) : "v12.stomp";
        return new StompInput(index, label, payload, random.Next(3) == 0, random.Next(6) == 0 ? random.Next(2, 6) : 1, beforeConnect, subprotocol);
    }

    private StompFrameBuilder ConnectFrame(Random random)
    {
        var frame = new StompFrameBuilder(random.Next(4) == 0 ? "STOMP" : "CONNECT", "CONNECT");
        frame.Headers.Add(("accept-version", random.Next(2) == 0 ? "1.2,1.1,1.0" : WsFrameGenerator.Pick(random, Versions)));
        frame.Headers.Add(("heart-beat", WsFrameGenerator.Pick(random, HeartBeats)));
        var token = context.VictimToken;
        frame.Headers.Add(("ide", random.Next(5) switch
        {
            0 => token["Bearer ".Length..],
            1 => token[..random.Next(token.Length)],
            2 => token + "x",
            _ => token,
        }));
        if (random.Next(2) == 0) frame.Headers.Add(("deviceType", random.Next(3) == 0 ? "im_toaster" : "im_pc_mac"));
        if (random.Next(4) == 0) frame.Headers.Add(("host", "127.0.0.1"));
        return frame;
    }

    private StompFrameBuilder SessionFrame(Random random)
    {
        var user = WsFrameGenerator.Pick(random, context.UserIds);
        var callId = "fz-scall-" + random.Next(1000);
        JsonNode? body = null;
        StompFrameBuilder frame;
        switch (random.Next(12))
        {
            case 0:
                frame = new StompFrameBuilder("SEND", "SEND /app/user/status");
                frame.Headers.Add(("destination", "/app/user/status"));
                body = new JsonArray(user, WsFrameGenerator.Pick(random, context.UserIds));
                break;
            case 1:
                frame = new StompFrameBuilder("SEND", "SEND /app/call/request");
                frame.Headers.Add(("destination", "/app/call/request"));
                body = new JsonObject { ["callId"] = callId, ["type"] = "AUDIO", ["callee"] = user, ["callerUserName"] = "A", ["calleeUserName"] = "B" };
                break;
            case 2:
                frame = new StompFrameBuilder("SEND", "SEND /app/call/response");
                frame.Headers.Add(("destination", "/app/call/response"));
                body = new JsonObject { ["callId"] = callId, ["type"] = "REJECT" };
                break;
            case 3:
                frame = new StompFrameBuilder("SEND", "SEND /app/call/hangup");
                frame.Headers.Add(("destination", "/app/call/hangup"));
                body = new JsonObject { ["callId"] = callId };
                break;
            case 4:
                frame = new StompFrameBuilder("SEND", "SEND /app/rtc/signaling");
                frame.Headers.Add(("destination", "/app/rtc/signaling"));
                body = new JsonObject { ["callId"] = callId, ["type"] = "ICE_CANDIDATE", ["payload"] = new JsonObject { ["candidate"] = "c", ["sdpMid"] = "0" } };
                break;
            case 5:
                frame = new StompFrameBuilder("SEND", "SEND /app/turn/get-turn-credentials");
                frame.Headers.Add(("destination", "/app/turn/get-turn-credentials"));
                body = new JsonObject();
                break;
            case 6:
                frame = new StompFrameBuilder("SEND", "SEND elsewhere");
                frame.Headers.Add(("destination", random.Next(2) == 0 ? "/app/nowhere" : "/topic/user/status"));
                body = new JsonObject { ["a"] = 1 };
                break;
            case 7:
                frame = new StompFrameBuilder("SUBSCRIBE", "SUBSCRIBE");
                frame.Headers.Add(("id", "sub-" + random.Next(20)));
                frame.Headers.Add(("destination", WsFrameGenerator.Pick<string>(random, ["/user/queue/msg/new", "/topic/user/status", "/user/queue/call/request", "/x"])));
                if (random.Next(2) == 0) frame.Headers.Add(("ack", "client-individual"));
                break;
            case 8:
                frame = new StompFrameBuilder("UNSUBSCRIBE", "UNSUBSCRIBE");
                frame.Headers.Add(("id", "sub-" + random.Next(20)));
                break;
            case 9:
                var ack = random.Next(2) == 0 ? "ACK" : "NACK";
                frame = new StompFrameBuilder(ack, ack);
                frame.Headers.Add(("id", "m-" + random.Next(20)));
                break;
            case 10:
                var tx = WsFrameGenerator.Pick<string>(random, ["BEGIN", "COMMIT", "ABORT", "CONNECT", "DISCONNECT"]);
                frame = new StompFrameBuilder(tx, tx);
                frame.Headers.Add(("transaction", "t1"));
                break;
            default:
                var command = WsFrameGenerator.Pick(random, Commands);
                frame = new StompFrameBuilder(command, "command " + command);
                frame.Headers.Add(("destination", "/app/user/status"));
                body = new JsonArray(user);
                break;
        }
        if (random.Next(3) == 0) frame.Headers.Add(("receipt", "r-" + random.Next(1000)));
        if (body is not null)
        {
            var mutations = random.Next(3);
            frame.Body = mutations == 0 ? WsFrameGenerator.Utf8(body.ToJsonString()) : new JsonMutator(random).MutateToBytes(body, mutations);
            frame.Headers.Add(("content-type", "application/json"));
            if (random.Next(2) == 0) frame.ContentLength = frame.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return frame;
    }
}
