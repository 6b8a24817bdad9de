using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A client connection as grains see it: one per socket, hosted by the gateway that owns the socket. Each method
/// only queues a frame on the socket, so it answers at once; a call that gets no answer within 5 s means the
/// gateway lost that connection (Orleans drops calls to an observer whose reference was deleted, without a reply),
/// and the grain drops the device instead of waiting for the 30 s default response timeout. Message pushes, the
/// hot path, are one-way (no response, no timeout to track); <see cref="Probe"/> checks such a device is still there.
/// </summary>
[Alias("im.IClientObserver")]
public interface IClientObserver : IGrainObserver
{
    /// <summary>A numbered message push; the receiver restores the order (see <see cref="MessagePush"/>).</summary>
    [OneWay]
    Task OnMessage(MessagePush push);

    /// <summary>Answers at once: a user grain pushing one-way asks now and then whether the connection still exists.</summary>
    [ResponseTimeout("00:00:05")]
    Task Probe();

    [ResponseTimeout("00:00:05")]
    Task OnPresence(PresenceChange change);

    [ResponseTimeout("00:00:05")]
    Task OnKicked(KickNotice notice);

    /// <summary>A call event for this device (ring, answer, down, hangup, timeout, relayed signal).</summary>
    [ResponseTimeout("00:00:05")]
    Task OnCall(CallEvent callEvent);

    /// <summary>A named client event (see <see cref="ClientEvent"/>): /ws frame type = its name, STOMP /user/queue/event/{name}.</summary>
    [ResponseTimeout("00:00:05")]
    Task OnEvent(ClientEvent clientEvent);
}
