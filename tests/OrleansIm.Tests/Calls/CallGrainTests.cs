using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansIm.Grains.Calls;
using OrleansIm.Tests.Grains;
using Xunit;

namespace OrleansIm.Tests.Calls;

public sealed class CallGrainTests
{
    private static CallRequest Req(string callId, string callee = "bob", string type = CallTypes.Video) =>
        new(callId, type, callee, "Alice", "Bob");

    /// <summary>alice (web) calls bob, who is online on web and android.</summary>
    private sealed class Parties : IAsyncDisposable
    {
        public required ImGrainsHarness Im { get; init; }
        public required TestClientObserver AliceWeb { get; init; }
        public required DeviceSession AliceSession { get; init; }
        public required TestClientObserver BobWeb { get; init; }
        public required DeviceSession BobWebSession { get; init; }
        public required TestClientObserver BobPhone { get; init; }
        public required DeviceSession BobPhoneSession { get; init; }

        public ValueTask DisposeAsync() => Im.DisposeAsync();
    }

    private static async Task<Parties> StartAsync(Action<ImGrainOptions>? configure = null)
    {
        var im = await ImGrainsHarness.StartAsync(configure);
        foreach (var id in new[] { "alice", "bob", "carol" }) await im.LoginAsync(id);
        var (aliceWeb, aliceSession) = await ConnectAsync(im, "alice", DeviceTypes.Web, "a-web");
        var (bobWeb, bobWebSession) = await ConnectAsync(im, "bob", DeviceTypes.Web, "b-web");
        var (bobPhone, bobPhoneSession) = await ConnectAsync(im, "bob", DeviceTypes.Android, "b-phone");
        return new Parties
        {
            Im = im, AliceWeb = aliceWeb, AliceSession = aliceSession,
            BobWeb = bobWeb, BobWebSession = bobWebSession, BobPhone = bobPhone, BobPhoneSession = bobPhoneSession,
        };
    }

    private static async Task<(TestClientObserver, DeviceSession)> ConnectAsync(ImGrainsHarness im, string userId, string deviceType, string connectionId)
    {
        var observer = new TestClientObserver();
        var session = new DeviceSession(deviceType, connectionId, im.Reference(observer));
        await im.User(userId).Connect(session);
        return (observer, session);
    }

    private static ICallGrain Call(Parties p, string callId) => p.Im.Grains.GetGrain<ICallGrain>(callId);

    private static Task WaitForAsync(TestClientObserver observer, string kind, int count = 1) =>
        observer.WaitUntilAsync(o => o.Calls.Count(c => c.Kind == kind) >= count, $"{count} '{kind}' call event(s)");

    private static JsonElement Payload(CallEvent e) => JsonDocument.Parse(e.PayloadJson).RootElement;

    [Fact]
    public async Task Request_rings_every_callee_device_with_the_seed_payload_plus_caller()
    {
        await using var p = await StartAsync();
        var info = await Call(p, "c1").Request("alice", p.AliceSession, Req("c1"));
        Assert.Equal(CallPhases.Ringing, info.Phase);
        Assert.Equal(("alice", "bob", CallTypes.Video), (info.Caller, info.Callee, info.Type));

        await WaitForAsync(p.BobWeb, CallEventKinds.Request);
        await WaitForAsync(p.BobPhone, CallEventKinds.Request);
        var ring = Payload(p.BobWeb.Calls.Single());
        Assert.Equal("c1", ring.GetProperty("callId").GetString());
        Assert.Equal("VIDEO", ring.GetProperty("type").GetString());
        Assert.Equal("bob", ring.GetProperty("callee").GetString());
        Assert.Equal("Alice", ring.GetProperty("callerUserName").GetString());
        Assert.Equal("Bob", ring.GetProperty("calleeUserName").GetString());
        Assert.Equal("alice", ring.GetProperty("caller").GetString());
        Assert.Empty(p.AliceWeb.Calls);
        Assert.Equal("c1", await p.Im.User("alice").GetCurrentCallId());
        Assert.Equal("c1", await p.Im.User("bob").GetCurrentCallId());
        Assert.True(await Call(p, "c1").IsLive());
    }

    [Fact]
    public async Task Accept_answers_the_caller_tells_other_devices_down_and_relays_signals_in_order_both_ways()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        var info = await call.Respond("bob", p.BobPhoneSession, CallResponseTypes.Accept);
        Assert.Equal(CallPhases.Active, info.Phase);

        await WaitForAsync(p.AliceWeb, CallEventKinds.Response);
        var response = Payload(p.AliceWeb.Calls.Single(c => c.Kind == CallEventKinds.Response));
        Assert.Equal("c1", response.GetProperty("callId").GetString());
        Assert.Equal("ACCEPT", response.GetProperty("type").GetString());
        await WaitForAsync(p.BobWeb, CallEventKinds.Down);
        Assert.DoesNotContain(p.BobPhone.Calls, c => c.Kind == CallEventKinds.Down);

        await call.Signal("alice", p.AliceSession, SignalTypes.Offer, "\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"");
        for (var i = 0; i < 20; i++)
            await call.Signal("alice", p.AliceSession, SignalTypes.IceCandidate, $"{{\"candidate\":\"c{i}\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        await call.Signal("bob", p.BobPhoneSession, SignalTypes.Answer, "\"v=0 answer\"");

        await WaitForAsync(p.BobPhone, CallEventKinds.Signaling, 21);
        var toBob = p.BobPhone.Calls.Where(c => c.Kind == CallEventKinds.Signaling).Select(Payload).ToList();
        Assert.Equal("OFFER", toBob[0].GetProperty("type").GetString());
        Assert.StartsWith("v=0", toBob[0].GetProperty("payload").GetString());
        for (var i = 0; i < 20; i++) Assert.Equal($"c{i}", toBob[i + 1].GetProperty("payload").GetProperty("candidate").GetString());
        Assert.DoesNotContain(p.BobWeb.Calls, c => c.Kind == CallEventKinds.Signaling);

        await WaitForAsync(p.AliceWeb, CallEventKinds.Signaling);
        var toAlice = Payload(p.AliceWeb.Calls.Single(c => c.Kind == CallEventKinds.Signaling));
        Assert.Equal(("c1", "ANSWER", "v=0 answer"),
            (toAlice.GetProperty("callId").GetString(), toAlice.GetProperty("type").GetString(), toAlice.GetProperty("payload").GetString()));
    }

    [Fact]
    public async Task Hangup_by_caller_reaches_the_accepting_device_and_frees_both()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        await call.Respond("bob", p.BobWebSession, CallResponseTypes.Accept);
        var ended = await call.Hangup("alice", p.AliceSession);
        Assert.Equal(CallPhases.Ended, ended.Phase);

        await WaitForAsync(p.BobWeb, CallEventKinds.Hangup);
        Assert.Equal("{\"callId\":\"c1\"}", p.BobWeb.Calls.Single(c => c.Kind == CallEventKinds.Hangup).PayloadJson);
        Assert.DoesNotContain(p.AliceWeb.Calls, c => c.Kind == CallEventKinds.Hangup);
        await AssertFreeAsync(p, "alice", "bob");
        Assert.False(await call.IsLive());
        // Late messages get a clear answer.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => call.Hangup("bob", p.BobWebSession));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => call.Signal("bob", p.BobWebSession, SignalTypes.Answer, "\"x\""));
    }

    [Fact]
    public async Task Hangup_by_callee_reaches_the_caller()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        await call.Respond("bob", p.BobWebSession, CallResponseTypes.Accept);
        await call.Hangup("bob", p.BobWebSession);
        await WaitForAsync(p.AliceWeb, CallEventKinds.Hangup);
        await AssertFreeAsync(p, "alice", "bob");
    }

    [Fact]
    public async Task Caller_hangup_while_ringing_reaches_every_ringing_device()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        await call.Hangup("alice", p.AliceSession);
        await WaitForAsync(p.BobWeb, CallEventKinds.Hangup);
        await WaitForAsync(p.BobPhone, CallEventKinds.Hangup);
        await AssertFreeAsync(p, "alice", "bob");
    }

    [Fact]
    public async Task Reject_answers_the_caller_tells_other_devices_down_and_ends()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        var info = await call.Respond("bob", p.BobWebSession, CallResponseTypes.Reject);
        Assert.Equal((CallPhases.Ended, "rejected"), (info.Phase, info.EndReason));
        await WaitForAsync(p.AliceWeb, CallEventKinds.Response);
        Assert.Contains("REJECT", p.AliceWeb.Calls.Single().PayloadJson);
        await WaitForAsync(p.BobPhone, CallEventKinds.Down);
        await AssertFreeAsync(p, "alice", "bob");
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => call.Respond("bob", p.BobPhoneSession, CallResponseTypes.Accept));
    }

    [Fact]
    public async Task Busy_is_1001_while_either_party_is_in_a_call_ringing_included()
    {
        await using var p = await StartAsync();
        var (_, carolSession) = await ConnectAsync(p.Im, "carol", DeviceTypes.Web, "c-web");
        await Call(p, "c1").Request("alice", p.AliceSession, Req("c1")); // ringing

        // Callee busy: carol calls bob.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CalleeBusy, () => Call(p, "c2").Request("carol", carolSession, Req("c2", "bob")));
        // Caller busy: alice (already calling) calls carol.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CalleeBusy, () => Call(p, "c3").Request("alice", p.AliceSession, Req("c3", "carol")));
        // A refused request keeps no one busy.
        Assert.Null(await p.Im.User("carol").GetCurrentCallId());
        Assert.Equal("c1", await p.Im.User("alice").GetCurrentCallId());

        await Call(p, "c1").Respond("bob", p.BobWebSession, CallResponseTypes.Accept); // active counts too
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CalleeBusy, () => Call(p, "c4").Request("carol", carolSession, Req("c4", "bob")));
    }

    [Fact]
    public async Task Not_busy_after_the_previous_call_ended_was_rejected_or_timed_out()
    {
        // Long enough that c1 and c2 end by hangup and reject before it rings out on a loaded machine (a CI run took
        // over 300 ms between c1's request and its hangup); c3 then waits it out.
        await using var p = await StartAsync(o => o.CallRingTimeout = TimeSpan.FromSeconds(2));
        await Call(p, "c1").Request("alice", p.AliceSession, Req("c1"));
        await Call(p, "c1").Hangup("alice", p.AliceSession);
        await Call(p, "c2").Request("alice", p.AliceSession, Req("c2"));
        await Call(p, "c2").Respond("bob", p.BobWebSession, CallResponseTypes.Reject);
        await Call(p, "c3").Request("alice", p.AliceSession, Req("c3"));
        await WaitForAsync(p.AliceWeb, CallEventKinds.Timeout);
        var info = await Call(p, "c4").Request("alice", p.AliceSession, Req("c4"));
        Assert.Equal(CallPhases.Ringing, info.Phase);
    }

    [Fact]
    public async Task Ring_timeout_reaches_the_caller_and_every_ringing_device_and_frees_both()
    {
        await using var p = await StartAsync(o => o.CallRingTimeout = TimeSpan.FromMilliseconds(400));
        await Call(p, "c1").Request("alice", p.AliceSession, Req("c1"));
        await WaitForAsync(p.AliceWeb, CallEventKinds.Timeout);
        await WaitForAsync(p.BobWeb, CallEventKinds.Timeout);
        await WaitForAsync(p.BobPhone, CallEventKinds.Timeout);
        Assert.Equal("{\"callId\":\"c1\"}", p.BobPhone.Calls.Last().PayloadJson);
        var info = await Call(p, "c1").GetInfo();
        Assert.Equal((CallPhases.Ended, "timeout"), (info!.Phase, info.EndReason));
        await AssertFreeAsync(p, "alice", "bob");
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => Call(p, "c1").Respond("bob", p.BobWebSession, CallResponseTypes.Accept));
    }

    [Fact]
    public async Task Only_parties_may_act_and_only_the_callee_may_answer()
    {
        await using var p = await StartAsync();
        var (_, carolSession) = await ConnectAsync(p.Im, "carol", DeviceTypes.Web, "c-web");
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallForbidden, () => call.Respond("carol", carolSession, CallResponseTypes.Accept));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallForbidden, () => call.Respond("alice", p.AliceSession, CallResponseTypes.Accept));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallForbidden, () => call.Hangup("carol", carolSession));
        // Signals wait for ACCEPT.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => call.Signal("alice", p.AliceSession, SignalTypes.Offer, "\"sdp\""));
        await call.Respond("bob", p.BobWebSession, CallResponseTypes.Accept);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallForbidden, () => call.Signal("carol", carolSession, SignalTypes.Offer, "\"sdp\""));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => call.Respond("bob", p.BobWebSession, CallResponseTypes.Accept));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => Call(p, "nope").Hangup("alice", p.AliceSession));
        Assert.Null(await Call(p, "nope").GetInfo());
    }

    [Fact]
    public async Task Validation_errors_are_400_with_a_field_message()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        var ex = await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest,
            () => call.Request("alice", p.AliceSession, new CallRequest("c1", CallTypes.Video, "bob", null!, "Bob")));
        Assert.Equal("Field error in object 'message' on field 'callerUserName': rejected value [null]; default message [must not be blank]", ex.Message);
        ex = await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest,
            () => call.Request("alice", p.AliceSession, new CallRequest("c1", CallTypes.Video, "bob", "Alice", "  ")));
        Assert.Contains("'calleeUserName'", ex.Message);
        ex = await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest,
            () => call.Request("alice", p.AliceSession, new CallRequest("c1", CallTypes.Video, "bob", new string('x', 101), "Bob")));
        Assert.Contains("'callerUserName'", ex.Message);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Request("alice", p.AliceSession, Req("c1", type: "FAX")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Request("alice", p.AliceSession, Req("c1", callee: null!)));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Request("alice", p.AliceSession, Req("c1", callee: "alice")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Request("alice", p.AliceSession, Req("c1", callee: "ghost")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Request("alice", p.AliceSession, Req("other-id")));
        var longId = new string('x', 101);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => Call(p, longId).Request("alice", p.AliceSession, Req(longId)));
        Assert.Null(await call.GetInfo());

        await call.Request("alice", p.AliceSession, Req("c1", type: CallTypes.Audio));
        // A used callId is a conflict, even for the same request.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => call.Request("alice", p.AliceSession, Req("c1")));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Respond("bob", p.BobWebSession, "MAYBE"));
        await call.Respond("bob", p.BobWebSession, CallResponseTypes.Accept);
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Signal("alice", p.AliceSession, "BYE", "\"x\""));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => call.Signal("alice", p.AliceSession, SignalTypes.Offer, "{not json"));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest,
            () => call.Signal("alice", p.AliceSession, SignalTypes.Offer, "\"" + new string('v', CallLimits.MaxSignalPayloadLength) + "\""));
    }

    [Fact]
    public async Task Callee_with_no_online_device_fails_fast_with_404_and_nobody_is_reserved()
    {
        await using var p = await StartAsync();
        var ex = await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => Call(p, "c1").Request("alice", p.AliceSession, Req("c1", "carol")));
        Assert.Equal("callee offline", ex.Message);
        await AssertFreeAsync(p, "alice", "carol");
    }

    [Fact]
    public async Task Last_device_of_a_party_going_away_ends_the_call_and_frees_both()
    {
        await using var p = await StartAsync();
        var call = Call(p, "c1");
        await call.Request("alice", p.AliceSession, Req("c1"));
        await call.Respond("bob", p.BobPhoneSession, CallResponseTypes.Accept);

        await p.Im.User("alice").Disconnect(DeviceTypes.Web, "a-web");
        await WaitForAsync(p.BobPhone, CallEventKinds.Hangup);
        Assert.Equal("offline", (await call.GetInfo())!.EndReason);
        await Eventually.True(async () => await p.Im.User("alice").GetCurrentCallId() is null && await p.Im.User("bob").GetCurrentCallId() is null,
            because: "both reservations released");

        // Callee side: bob's devices go while ringing → the caller hears hangup.
        var (aliceAgain, aliceAgainSession) = await ConnectAsync(p.Im, "alice", DeviceTypes.Web, "a-web-2");
        await Call(p, "c2").Request("alice", aliceAgainSession, Req("c2"));
        await p.Im.User("bob").Disconnect(DeviceTypes.Web, "b-web");
        Assert.True(await Call(p, "c2").IsLive()); // one device is left
        await p.Im.User("bob").Disconnect(DeviceTypes.Android, "b-phone");
        await WaitForAsync(aliceAgain, CallEventKinds.Hangup);
        await AssertFreeAsync(p, "alice", "bob");
    }

    [Fact]
    public async Task A_stale_reservation_of_an_ended_call_does_not_block_a_new_call()
    {
        await using var p = await StartAsync();
        await Call(p, "old").Request("alice", p.AliceSession, Req("old"));
        await Call(p, "old").Hangup("alice", p.AliceSession);
        await AssertFreeAsync(p, "alice", "bob");
        // A release that never arrived (e.g. the silo died first): bob still points at the ended call.
        Assert.True(await p.Im.User("bob").TryReserveCall("old"));
        Assert.Equal("old", await p.Im.User("bob").GetCurrentCallId());

        var info = await Call(p, "new").Request("alice", p.AliceSession, Req("new"));
        Assert.Equal(CallPhases.Ringing, info.Phase);
        Assert.Equal("new", await p.Im.User("bob").GetCurrentCallId());
    }

    [Fact]
    public async Task Two_users_calling_each_other_at_once_do_not_hang_or_stay_busy()
    {
        await using var p = await StartAsync();
        var aliceCalls = Call(p, "a-to-b").Request("alice", p.AliceSession, Req("a-to-b", "bob"));
        var bobCalls = Call(p, "b-to-a").Request("bob", p.BobWebSession, new CallRequest("b-to-a", CallTypes.Audio, "alice", "Bob", "Alice"));
        var results = await Task.WhenAll(Outcome(aliceCalls), Outcome(bobCalls)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, r => Assert.True(r is 0 or ImErrorCodes.CalleeBusy, $"unexpected outcome {r}"));
        Assert.True(results.Count(r => r == 0) <= 1);

        // Whatever won, ending it leaves nobody busy.
        foreach (var id in new[] { "a-to-b", "b-to-a" })
        {
            if (await Call(p, id).IsLive()) await Call(p, id).Hangup(id == "a-to-b" ? "alice" : "bob", null);
        }
        var info = await Call(p, "again").Request("alice", p.AliceSession, Req("again"));
        Assert.Equal(CallPhases.Ringing, info.Phase);
    }

    [Fact]
    public async Task Failover_mid_ring_re_arms_the_timer_and_releases_both_at_timeout()
    {
        using var storage = new SharedSqliteStorage();
        // Long enough for a cluster to stop and another to start on a loaded machine (measured: 2.4 s on 2 shared cores).
        var ringTimeout = TimeSpan.FromSeconds(6);
        var first = await StartOnStorageAsync(storage, ringTimeout);
        await first.Grains.GetGrain<IUserGrain>("alice").Login(new LoginRequest("Alice", null, null, null));
        await first.Grains.GetGrain<IUserGrain>("bob").Login(new LoginRequest("Bob", null, null, null));
        var bobDevice = new TestClientObserver();
        await first.Grains.GetGrain<IUserGrain>("bob").Connect(
            new DeviceSession(DeviceTypes.Web, "b-web", first.Grains.CreateObjectReference<IClientObserver>(bobDevice)));
        var requested = DateTime.UtcNow;
        await first.Grains.GetGrain<ICallGrain>("c1").Request("alice", null, Req("c1"));
        await bobDevice.WaitUntilAsync(o => o.Calls.Count == 1, "ring");
        await first.DisposeAsync(); // every activation goes; the timer dies with the call's

        await using var second = await StartOnStorageAsync(storage, ringTimeout);
        var call = second.Grains.GetGrain<ICallGrain>("c1");
        var info = await call.GetInfo(); // reactivates: still ringing, timer re-armed for the remaining time
        Assert.Equal(CallPhases.Ringing, info!.Phase);
        Assert.Equal("c1", await second.Grains.GetGrain<IUserGrain>("bob").GetCurrentCallId());

        await Eventually.True(async () =>
                await second.Grains.GetGrain<IUserGrain>("alice").GetCurrentCallId() is null
                && await second.Grains.GetGrain<IUserGrain>("bob").GetCurrentCallId() is null,
            timeout: TimeSpan.FromSeconds(20), because: "the re-armed timer released both");
        Assert.True(DateTime.UtcNow - requested >= ringTimeout - TimeSpan.FromMilliseconds(100), "not before the original deadline");
        Assert.Equal("timeout", (await call.GetInfo())!.EndReason);
        Assert.False(await call.IsLive());
    }

    [Fact]
    public async Task A_ringing_call_whose_silo_died_times_out_once_a_party_re_registers()
    {
        using var storage = new SharedSqliteStorage();
        var ringTimeout = TimeSpan.FromSeconds(1);
        var first = await StartOnStorageAsync(storage, ringTimeout);
        await first.Grains.GetGrain<IUserGrain>("alice").Login(new LoginRequest("Alice", null, null, null));
        await first.Grains.GetGrain<IUserGrain>("bob").Login(new LoginRequest("Bob", null, null, null));
        var ringing = new TestClientObserver();
        await first.Grains.GetGrain<IUserGrain>("bob").Connect(
            new DeviceSession(DeviceTypes.Web, "b-web", first.Grains.CreateObjectReference<IClientObserver>(ringing)));
        await first.Grains.GetGrain<ICallGrain>("c1").Request("alice", null, Req("c1"));
        await ringing.WaitUntilAsync(o => o.Calls.Count == 1, "ring");
        await first.DisposeAsync(); // the silo holding the call is gone

        // Nobody calls the call. The gateway re-registers bob's live connection (as after any membership change)…
        await using var second = await StartOnStorageAsync(storage, ringTimeout);
        var again = new TestClientObserver();
        await second.Grains.GetGrain<IUserGrain>("bob").Connect(
            new DeviceSession(DeviceTypes.Web, "b-web", second.Grains.CreateObjectReference<IClientObserver>(again)));

        // …which revives the call: its ring times out on bob's device, and both users are free.
        await again.WaitUntilAsync(o => o.Calls.Any(c => c.Kind == CallEventKinds.Timeout), "timeout pushed after failover");
        await Eventually.True(async () =>
            await second.Grains.GetGrain<IUserGrain>("alice").GetCurrentCallId() is null
            && await second.Grains.GetGrain<IUserGrain>("bob").GetCurrentCallId() is null, because: "both released");
    }

    [Fact]
    public async Task Reactivation_after_the_deadline_ends_the_call_at_once()
    {
        using var storage = new SharedSqliteStorage();
        var first = await StartOnStorageAsync(storage, TimeSpan.FromMilliseconds(300));
        await first.Grains.GetGrain<IUserGrain>("alice").Login(new LoginRequest("Alice", null, null, null));
        await first.Grains.GetGrain<IUserGrain>("bob").Login(new LoginRequest("Bob", null, null, null));
        await first.Grains.GetGrain<IUserGrain>("bob").Connect(
            new DeviceSession(DeviceTypes.Web, "b-web", first.Grains.CreateObjectReference<IClientObserver>(new TestClientObserver())));
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(300);
        await first.Grains.GetGrain<ICallGrain>("c1").Request("alice", null, Req("c1"));
        await first.DisposeAsync();
        // The deadline passes while no silo holds the call (the point of this test).
        await Eventually.True(() => DateTime.UtcNow > deadline + TimeSpan.FromMilliseconds(50), because: "ring deadline passed");

        await using var second = await StartOnStorageAsync(storage, TimeSpan.FromMilliseconds(300));
        // The stale reservation is the first thing that touches the call: a new call for bob must go through.
        await second.Grains.GetGrain<IUserGrain>("carol").Login(new LoginRequest("Carol", null, null, null));
        await second.Grains.GetGrain<IUserGrain>("bob").Connect(
            new DeviceSession(DeviceTypes.Web, "b-web2", second.Grains.CreateObjectReference<IClientObserver>(new TestClientObserver())));
        var info = await second.Grains.GetGrain<ICallGrain>("c2").Request("carol", null, Req("c2"));
        Assert.Equal(CallPhases.Ringing, info.Phase);
        Assert.Equal("timeout", (await second.Grains.GetGrain<ICallGrain>("c1").GetInfo())!.EndReason);
        await Eventually.True(async () => await second.Grains.GetGrain<IUserGrain>("alice").GetCurrentCallId() is null, because: "alice released");
    }

    [Fact]
    public async Task A_ringing_call_whose_silo_died_times_out_by_its_reminder_with_both_parties_offline()
    {
        using var storage = new SharedSqliteStorage();
        var serviceId = "calls-" + Guid.NewGuid().ToString("N");
        var ringTimeout = TimeSpan.FromSeconds(3);
        var first = await StartWithRedisRemindersAsync(storage, serviceId, ringTimeout);
        await first.Grains.GetGrain<IUserGrain>("alice").Login(new LoginRequest("Alice", null, null, null));
        await first.Grains.GetGrain<IUserGrain>("bob").Login(new LoginRequest("Bob", null, null, null));
        var ringing = new TestClientObserver();
        await first.Grains.GetGrain<IUserGrain>("bob").Connect(
            new DeviceSession(DeviceTypes.Web, "b-web", first.Grains.CreateObjectReference<IClientObserver>(ringing)));
        await first.Grains.GetGrain<ICallGrain>("c1").Request("alice", null, Req("c1")); // over HTTP: alice has no device
        await ringing.WaitUntilAsync(o => o.Calls.Count == 1, "ring");
        await first.DisposeAsync(); // the silo goes with the call's timer and bob's device: both parties are offline now

        // Nothing touches the call or re-registers a device: only the reminder, kept in Redis, can end it.
        await using var second = await StartWithRedisRemindersAsync(storage, serviceId, ringTimeout);
        await Eventually.True(async () =>
                await second.Grains.GetGrain<IUserGrain>("alice").GetCurrentCallId() is null
                && await second.Grains.GetGrain<IUserGrain>("bob").GetCurrentCallId() is null,
            timeout: TimeSpan.FromSeconds(30), because: "the ring reminder timed the call out and released both");
        Assert.Equal("timeout", (await second.Grains.GetGrain<ICallGrain>("c1").GetInfo())!.EndReason);
    }

    private static Task<ImGrainsHarness> StartWithRedisRemindersAsync(SharedSqliteStorage storage, string serviceId, TimeSpan ringTimeout) =>
        ImGrainsHarness.StartAsync(o => o.CallRingTimeout = ringTimeout, serviceId: serviceId, storage: silo =>
        {
            silo.UseSqliteImStorage(storage.Path);
            silo.UseRedisReminderService(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(RedisTestServer.ConnectionString));
        });

    [Fact]
    public async Task An_ended_call_is_cleared_from_storage_after_the_retention_then_answers_like_an_unknown_call()
    {
        await using var p = await StartAsync(o => o.EndedCallRetention = TimeSpan.FromSeconds(1));
        await Call(p, "old").Request("alice", p.AliceSession, Req("old"));
        await Call(p, "old").Hangup("alice", p.AliceSession);
        // Within the retention a late message gets a clear 409.
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallConflict, () => Call(p, "old").Hangup("bob", null));
        Assert.True(await StoredAsync(p.Im, "old"));

        // Nobody asks: the expiry reminder clears the stored state and the activation goes.
        await Eventually.True(async () => !await StoredAsync(p.Im, "old"), because: "the ended call's state is cleared", timeout: TimeSpan.FromSeconds(30));
        await Eventually.True(() => !p.Im.IsActive("call", "old"), because: "an expired call keeps no activation");

        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => Call(p, "old").Hangup("alice", null));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => Call(p, "old").Respond("bob", null, CallResponseTypes.Accept));
        Assert.Null(await Call(p, "old").GetInfo());
        // Like any unknown call id, it can be requested again.
        Assert.Equal(CallPhases.Ringing, (await Call(p, "old").Request("alice", p.AliceSession, Req("old"))).Phase);
    }

    [Fact]
    public async Task A_call_found_expired_on_activation_is_cleared_in_sqlite_and_answers_404()
    {
        using var storage = new SharedSqliteStorage();
        var retention = TimeSpan.FromSeconds(1);
        await using (var first = await ImGrainsHarness.StartAsync(o => o.EndedCallRetention = retention,
                         storage: silo => { silo.UseSqliteImStorage(storage.Path); silo.UseInMemoryReminderService(); }))
        {
            foreach (var id in new[] { "alice", "bob" }) await first.LoginAsync(id);
            await first.ConnectAsync("bob", DeviceTypes.Web, "b-web");
            await first.Grains.GetGrain<ICallGrain>("gone").Request("alice", null, Req("gone"));
            await first.Grains.GetGrain<ICallGrain>("gone").Hangup("bob", null);
            Assert.True(await StoredAsync(first, "gone"));
        }
        await Task.Delay(retention + TimeSpan.FromMilliseconds(200)); // let the retention pass while no silo runs (in-memory reminders die with it)

        await using var second = await ImGrainsHarness.StartAsync(o => o.EndedCallRetention = retention,
            storage: silo => { silo.UseSqliteImStorage(storage.Path); silo.UseInMemoryReminderService(); });
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => second.Grains.GetGrain<ICallGrain>("gone").Hangup("alice", null));
        Assert.False(await StoredAsync(second, "gone"));
        await Eventually.True(() => !second.IsActive("call", "gone"), because: "an expired call keeps no activation");
    }

    [Fact]
    public async Task Requests_for_calls_that_do_not_exist_keep_no_activation()
    {
        await using var p = await StartAsync();
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => Call(p, "nope1").Hangup("alice", null));
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallNotFound, () => Call(p, "nope2").Signal("alice", null, SignalTypes.Offer, "{}"));
        Assert.Null(await Call(p, "nope3").GetInfo());
        await GrainAssert.ThrowsCodeAsync(ImErrorCodes.CallBadRequest, () => Call(p, "nope4").Request("alice", null, Req("nope4", callee: "ghost")));
        await Call(p, "live").Request("alice", p.AliceSession, Req("live"));

        await Eventually.True(() => new[] { "nope1", "nope2", "nope3", "nope4" }.All(id => !p.Im.IsActive("call", id)),
            because: "unknown calls deactivate right after the request");
        Assert.True(p.Im.IsActive("call", "live"));
    }

    /// <summary>Whether the default grain storage holds a record for the call (read directly, not through the grain).</summary>
    private static async Task<bool> StoredAsync(ImGrainsHarness im, string callId)
    {
        var storage = im.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var state = new GrainState<CallGrainState>();
        await storage.ReadStateAsync("call", GrainId.Create("call", callId), state);
        return state.RecordExists;
    }

    /// <summary>A cluster whose grain state and stores are in <paramref name="storage"/>'s file, so a second cluster started on it takes over.</summary>
    private static Task<ImGrainsHarness> StartOnStorageAsync(SharedSqliteStorage storage, TimeSpan ringTimeout) =>
        ImGrainsHarness.StartAsync(o => o.CallRingTimeout = ringTimeout, storage: silo =>
        {
            silo.UseSqliteImStorage(storage.Path);
            silo.UseInMemoryReminderService();
        });

    /// <summary>A SQLite file that outlives the clusters started on it (one at a time).</summary>
    private sealed class SharedSqliteStorage : IDisposable
    {
        private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));

        public string Path => System.IO.Path.Combine(_directory, "calls.db");

        public void Dispose()
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<int> Outcome(Task<CallInfo> request)
    {
        try
        {
            await request;
            return 0;
        }
        catch (ImException e)
        {
            return e.Code;
        }
    }

    private static async Task AssertFreeAsync(Parties p, params string[] users)
    {
        foreach (var user in users)
            await Eventually.True(async () => await p.Im.User(user).GetCurrentCallId() is null, because: $"{user} released");
    }
}
