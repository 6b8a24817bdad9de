using System.Text.Json.Nodes;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Sockets;

/// <summary>The grain-facing side of a connection: turns grain callbacks into push frames on its queue. Never blocks a grain.</summary>
public sealed class ConnectionObserver : IClientObserver
{
    private readonly ClientConnection _connection;
    private readonly GatewayMetrics _metrics;
    private readonly MessagePushOrder _pushes;
    private readonly PresenceOrder _presence = new();

    public ConnectionObserver(ClientConnection connection, TimeSpan pushGapTimeout, GatewayMetrics metrics)
    {
        _connection = connection;
        _metrics = metrics;
        _pushes = new MessagePushOrder(MessagePushOrder.DefaultCapacity, pushGapTimeout, Deliver,
            () => connection.Close(WebSocketCloseCodes.Resync, "push lost"));
    }

    public Task OnMessage(MessagePush push)
    {
        _pushes.Accept(push);
        return Task.CompletedTask;
    }

    public Task Probe() => Task.CompletedTask;

    public Task OnPresence(PresenceChange change)
    {
        if (!_presence.Admit(change)) return Task.CompletedTask;
        Push(ServerFrames.Push(ServerFrames.Presence, PresenceJson.Entry(change)));
        return Task.CompletedTask;
    }

    /// <summary>JSON dialect: call.request / call.response / call.down / call.hangup / call.timeout / rtc.signaling.</summary>
    public Task OnCall(CallEvent callEvent)
    {
        var type = callEvent.Kind == CallEventKinds.Signaling ? "rtc.signaling" : "call." + callEvent.Kind;
        // Every call payload is a JSON object (the seed's shapes); a non-object would be a grain bug.
        Push(ServerFrames.Push(type, JsonNode.Parse(callEvent.PayloadJson)!.AsObject()));
        return Task.CompletedTask;
    }

    /// <summary>JSON dialect: a frame whose type is the event's name and whose data is its payload.</summary>
    public Task OnEvent(ClientEvent clientEvent)
    {
        Push(ServerFrames.Push(clientEvent.Name, JsonNode.Parse(clientEvent.PayloadJson)!.AsObject()));
        return Task.CompletedTask;
    }

    /// <summary>Seed 002's <c>kicked</c>, then <c>logout.kick</c> as the last frame before the close (see <see cref="KickJson"/>).</summary>
    public Task OnKicked(KickNotice notice)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Push(ServerFrames.Push(KickJson.KickedEvent, KickJson.Kicked(notice, time)));
        _connection.Close(KickJson.CloseCode(notice.Reason), notice.Reason, ServerFrames.Push(ServerFrames.LogoutKick, KickJson.LogoutKick(notice, time)));
        _metrics.FrameSent(GatewayMetrics.Json);
        return Task.CompletedTask;
    }

    /// <summary>A message push released in order by <see cref="MessagePushOrder"/>.</summary>
    private void Deliver(ChatMessage message)
    {
        if (Push(ServerFrames.Push(ServerFrames.MessageNew, MessageJson.ToPush(message))))
            _metrics.MessageDelivered(GatewayMetrics.Json, message.CTime);
    }

    private bool Push(byte[] frame)
    {
        if (!_connection.TryEnqueue(frame)) return false;
        _metrics.FrameSent(GatewayMetrics.Json);
        return true;
    }
}
