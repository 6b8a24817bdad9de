using System.Text;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Stomp;

/// <summary>The grain-facing side of a STOMP session: grain callbacks become MESSAGE frames on its user destinations. Never blocks a grain.</summary>
public sealed class StompObserver : IClientObserver
{
    private readonly GatewayMetrics? _metrics;
    private readonly MessagePushOrder _pushes;
    private readonly PresenceOrder _presence = new();
    private StompSession? _session;

    /// <param name="pushGapTimeout">How long a missing message push is waited for (<see cref="MessagePushOrder"/>).</param>
    /// <param name="metrics">Counts delivered messages; none in unit tests of the session.</param>
    public StompObserver(TimeSpan pushGapTimeout, GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _pushes = new MessagePushOrder(MessagePushOrder.DefaultCapacity, pushGapTimeout, Deliver,
            () => _session?.Output.Close(WebSocketCloseCodes.Resync, "push lost",
                StompErrors.Frame("push lost", "A message push was lost; reconnect and resync.")));
    }

    /// <summary>Set right after construction: the session needs this observer's reference first.</summary>
    public void Attach(StompSession session) => _session = session;

    public Task OnMessage(MessagePush push)
    {
        _pushes.Accept(push);
        return Task.CompletedTask;
    }

    public Task Probe() => Task.CompletedTask;

    /// <summary>A message push released in order. Delivered = at least one subscription of the connection got it.</summary>
    private void Deliver(ChatMessage message)
    {
        if (_session?.Deliver(StompDestinations.MessageNew, MessageJson.ToPush(message)) > 0)
            _metrics?.MessageDelivered(GatewayMetrics.Stomp, message.CTime);
    }

    public Task OnPresence(PresenceChange change)
    {
        if (!_presence.Admit(change)) return Task.CompletedTask;
        _session?.Deliver(StompDestinations.TopicUserStatus, StompJson.PresenceArray([change]));
        return Task.CompletedTask;
    }

    /// <summary>Body = the call's payload verbatim (seed 001 shapes), on /user/queue/call/{kind} or /user/queue/rtc/signaling.</summary>
    public Task OnCall(CallEvent callEvent)
    {
        _session?.Deliver(StompDestinations.ForCallEvent(callEvent.Kind), Encoding.UTF8.GetBytes(callEvent.PayloadJson));
        return Task.CompletedTask;
    }

    /// <summary>Body = the event's payload verbatim, on /user/queue/event/{name}.</summary>
    public Task OnEvent(ClientEvent clientEvent)
    {
        _session?.Deliver(StompDestinations.ForClientEvent(clientEvent.Name), Encoding.UTF8.GetBytes(clientEvent.PayloadJson));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Seed 002's <c>kicked</c> on /user/queue/event/kicked (if subscribed), then ERROR "logout.kick" with the reason and
    /// close (4409 replaced / 4403 banned / 4401 revoked), like /ws's kicked + logout.kick.
    /// </summary>
    public Task OnKicked(KickNotice notice)
    {
        if (_session is null) return Task.CompletedTask;
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _session.Deliver(StompDestinations.ForClientEvent(KickJson.KickedEvent), GatewayJson.ToUtf8(KickJson.Kicked(notice, time)));
        var body = GatewayJson.ToUtf8(KickJson.LogoutKick(notice, time));
        _session.Output.Close(KickJson.CloseCode(notice.Reason), notice.Reason,
            StompErrors.Frame(ServerFrames.LogoutKick, body, "application/json", (StompHeaders.Reason, notice.Reason)));
        return Task.CompletedTask;
    }
}
