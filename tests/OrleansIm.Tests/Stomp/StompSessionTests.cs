using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Calls;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.Grains;
using Xunit;

namespace OrleansIm.Tests.Stomp;

public sealed class StompSessionTests : IAsyncLifetime
{
    private ImGrainsHarness _harness = null!;
    private readonly RecordingOutput _output = new();
    private StompSession _session = null!;
    private StompObserver _observer = null!;

    public async Task InitializeAsync()
    {
        _harness = await ImGrainsHarness.StartAsync();
        _observer = new StompObserver(TimeSpan.FromSeconds(5));
        var reference = _harness.Grains.CreateObjectReference<IClientObserver>(_observer);
        var client = new ClientSession("alice", DeviceTypes.Web, "c1", reference);
        _session = new StompSession(client, _output, new StompApplication(_harness.Grains, new CallCommands(_harness.Grains),
            new TurnCredentialService(Options.Create(new TurnOptions { Urls = ["stun:127.0.0.1:3478", "turn:127.0.0.1:3478"], Secret = "s3cret" }), TimeProvider.System, NullLogger<TurnCredentialService>.Instance),
            Options.Create(new GatewayOptions())), NullLogger.Instance);
        _observer.Attach(_session);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static StompFrame Frame(string command, string body, params (string, string)[] headers) =>
        new(command, headers.Select(h => KeyValuePair.Create(h.Item1, h.Item2)).ToList(), Encoding.UTF8.GetBytes(body));

    private Task Subscribe(string id, string destination) => _session.HandleAsync(Frame("SUBSCRIBE", "", ("id", id), ("destination", destination)));

    private Task Send(string destination, string body, params (string, string)[] extra) =>
        _session.HandleAsync(Frame("SEND", body, [("destination", destination), .. extra]));

    private List<StompFrame> Messages(string destination) =>
        _output.Frames.Where(f => f.Command == "MESSAGE" && f["destination"] == destination).ToList();

    [Fact]
    public async Task Any_frame_with_a_receipt_gets_a_RECEIPT()
    {
        await _session.HandleAsync(Frame("SUBSCRIBE", "", ("id", "s1"), ("destination", "/topic/user/status"), ("receipt", "r-1")));
        await _session.HandleAsync(Frame("UNSUBSCRIBE", "", ("id", "s1"), ("receipt", "r-2")));
        await Send("/app/nowhere", "{}", ("receipt", "r-3")); // even when the SEND fails
        Assert.Equal(["r-1", "r-2", "r-3"], _output.Frames.Where(f => f.Command == "RECEIPT").Select(f => f["receipt-id"]));
    }

    [Fact]
    public async Task Disconnect_sends_its_receipt_then_closes()
    {
        await _session.HandleAsync(Frame("DISCONNECT", "", ("receipt", "bye")));
        Assert.Equal("bye", Assert.Single(_output.Frames)["receipt-id"]);
        Assert.Equal(1000, _output.CloseCode);
        Assert.True(_session.Disconnected);
    }

    [Theory]
    [InlineData("SUBSCRIBE")] // no id/destination
    [InlineData("SEND")] // no destination
    [InlineData("CONNECT")]
    [InlineData("BEGIN")]
    [InlineData("FOO")]
    public async Task Protocol_violations_throw(string command)
    {
        await Assert.ThrowsAsync<StompProtocolException>(() => _session.HandleAsync(Frame(command, "")));
    }

    [Fact]
    public async Task A_reused_subscription_id_is_a_protocol_error()
    {
        await Subscribe("s1", "/topic/user/status");
        await Assert.ThrowsAsync<StompProtocolException>(() => Subscribe("s1", "/user/queue/errors"));
    }

    [Fact]
    public async Task Presence_query_answers_on_the_topic_and_pushes_later_changes()
    {
        await _harness.LoginAsync("bob");
        await Subscribe("sub-topic", "/topic/user/status");
        await Send("/app/user/status", "[\"bob\",\"bob\",\"nobody\"]");

        var answer = Assert.Single(Messages("/topic/user/status"));
        Assert.Equal("sub-topic", answer["subscription"]);
        Assert.Equal("application/json", answer["content-type"]);
        Assert.Equal(answer.Body.Length.ToString(), answer["content-length"]);
        Assert.Equal("""[{"userId":"bob","status":"OFFLINE"},{"userId":"nobody","status":"OFFLINE"}]""", answer.BodyText);

        await _harness.ConnectAsync("bob", DeviceTypes.Web, "bob-1");
        await Eventually.True(() => Task.FromResult(Messages("/topic/user/status").Count == 2), because: "ONLINE push");
        Assert.Equal("""[{"userId":"bob","status":"ONLINE"}]""", Messages("/topic/user/status")[1].BodyText);
    }

    [Fact]
    public async Task Presence_answer_prefers_the_user_queue_subscription()
    {
        await Subscribe("t", "/topic/user/status");
        await Subscribe("q", "/user/queue/user/status");
        await Send("/app/user/status", "[\"bob\"]");
        Assert.Empty(Messages("/topic/user/status"));
        Assert.Equal("q", Assert.Single(Messages("/user/queue/user/status"))["subscription"]);
    }

    [Theory]
    [InlineData("not json", 400)]
    [InlineData("{\"a\":1}", 400)]
    [InlineData("[1,2]", 400)]
    [InlineData("[\"bad id!\"]", 400)]
    [InlineData("[\"\\ud800\"]", 400)] // an escape of a lone surrogate (found by the fuzzer: was 500)
    public async Task Bad_presence_bodies_go_to_the_error_queue(string body, int code)
    {
        await Subscribe("e", "/user/queue/errors");
        await Send("/app/user/status", body);
        var error = JsonDocument.Parse(Assert.Single(Messages("/user/queue/errors")).BodyText).RootElement;
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Null(_output.CloseCode);
    }

    [Fact]
    public async Task More_than_200_ids_is_400_and_the_session_keeps_working()
    {
        await Subscribe("e", "/user/queue/errors");
        await Subscribe("t", "/topic/user/status");
        await Send("/app/user/status", JsonSerializer.Serialize(Enumerable.Range(0, 201).Select(i => "u" + i)));
        Assert.Equal(400, JsonDocument.Parse(Assert.Single(Messages("/user/queue/errors")).BodyText).RootElement.GetProperty("code").GetInt32());
        await Send("/app/user/status", "[\"u1\"]");
        Assert.Single(Messages("/topic/user/status"));
    }

    [Fact]
    public async Task Unknown_app_destination_is_404_on_the_error_queue()
    {
        await Subscribe("e", "/user/queue/errors");
        await Send("/app/nope", "{}");
        Assert.Contains("\"code\":404", Assert.Single(Messages("/user/queue/errors")).BodyText);
    }

    [Fact]
    public async Task Every_matching_subscription_gets_a_message_with_its_own_id()
    {
        await Subscribe("a", "/user/queue/call/request");
        await Subscribe("b", "/user/queue/call/request");
        await Subscribe("c", "/user/queue/call/hangup");
        await _observer.OnCall(new CallEvent(CallEventKinds.Request, "call-1", """{"callId":"call-1","type":"VIDEO"}"""));
        var messages = Messages("/user/queue/call/request");
        Assert.Equal(["a", "b"], messages.Select(m => m["subscription"]).Order());
        Assert.NotEqual(messages[0]["message-id"], messages[1]["message-id"]);
        Assert.All(messages, m => Assert.Equal("""{"callId":"call-1","type":"VIDEO"}""", m.BodyText));
        Assert.Empty(Messages("/user/queue/call/hangup"));
    }

    [Theory]
    [InlineData(CallEventKinds.Request, "/user/queue/call/request")]
    [InlineData(CallEventKinds.Response, "/user/queue/call/response")]
    [InlineData(CallEventKinds.Down, "/user/queue/call/down")]
    [InlineData(CallEventKinds.Hangup, "/user/queue/call/hangup")]
    [InlineData(CallEventKinds.Timeout, "/user/queue/call/timeout")]
    [InlineData(CallEventKinds.Signaling, "/user/queue/rtc/signaling")]
    public void Call_events_map_to_user_queues(string kind, string destination) =>
        Assert.Equal(destination, StompDestinations.ForCallEvent(kind));

    [Fact]
    public async Task New_messages_arrive_on_msg_new_with_the_ws_shape()
    {
        await Subscribe("m", "/user/queue/msg/new");
        var message = new ChatMessage("conv", 7, "m1", "bob", -1, "hi", null, null, 1234, false, 0, false, null, "c-1");
        await _observer.OnMessage(new MessagePush(42, 1, message));
        Assert.Equal(GatewayJson.ToUtf8(MessageJson.ToPush(message)), Assert.Single(Messages("/user/queue/msg/new")).Body.ToArray());
    }

    [Fact]
    public async Task Call_validation_and_business_errors_go_to_the_error_queue()
    {
        await Subscribe("e", "/user/queue/errors");
        await Send("/app/call/request", "{\"callId\":\"\",\"callee\":\"bob\"}");
        await Send("/app/call/response", "{\"callId\":\"nope\",\"type\":\"ACCEPT\"}");
        await Send("/app/call/hangup", "");
        await Send("/app/rtc/signaling", "[]");
        var codes = Messages("/user/queue/errors").Select(m => JsonDocument.Parse(m.BodyText).RootElement.GetProperty("code").GetInt32()).ToList();
        Assert.Equal([400, 404, 404, 400], codes);
        Assert.Null(_output.CloseCode);
    }

    [Fact]
    public async Task Turn_credentials_reply_on_their_user_queue()
    {
        await Subscribe("t", "/user/queue/turn/get-turn-credentials");
        await Send("/app/turn/get-turn-credentials", "{}");
        var servers = JsonDocument.Parse(Assert.Single(Messages("/user/queue/turn/get-turn-credentials")).BodyText).RootElement.GetProperty("iceServers");
        Assert.Equal(2, servers.GetArrayLength());
        Assert.EndsWith(":alice", servers[1].GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_kick_closes_with_an_ERROR_logout_kick()
    {
        await _observer.OnKicked(new KickNotice("c1", DeviceTypes.Web, KickReasons.Replaced));
        Assert.Equal(4409, _output.CloseCode);
        Assert.Equal("logout.kick", _output.FinalFrame!["message"]);
        Assert.Equal("replaced", _output.FinalFrame["reason"]);
    }

    private sealed class RecordingOutput : IStompOutput
    {
        private readonly List<StompFrame> _frames = [];

        public List<StompFrame> Frames
        {
            get { lock (_frames) return _frames.ToList(); }
        }

        public int? CloseCode { get; private set; }

        public StompFrame? FinalFrame { get; private set; }

        public bool Send(StompFrame frame)
        {
            lock (_frames) _frames.Add(frame);
            return true;
        }

        public void Close(int code, string reason, StompFrame? finalFrame = null)
        {
            CloseCode ??= code;
            FinalFrame ??= finalFrame;
        }
    }
}
