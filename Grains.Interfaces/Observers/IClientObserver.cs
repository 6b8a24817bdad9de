namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A client connection as grains see it: one per socket, hosted by the gateway that owns the socket. Each method
/// only queues a frame on the socket, so it answers at once; a call that gets no answer within 5 s means the
/// gateway lost that connection (Orleans drops calls to an observer whose reference was deleted, without a reply),
/// and the grain drops the device instead of waiting for the 30 s default response timeout.
/// </summary>
[Alias("im.IClientObserver")]
public interface IClientObserver : IGrainObserver
{
    [ResponseTimeout("00:00:05")]
    Task OnMessage(ChatMessage message);

    [ResponseTimeout("00:00:05")]
    Task OnPresence(PresenceChange change);

    [ResponseTimeout("00:00:05")]
    Task OnKicked(KickNotice notice);

    /// <summary>A call event for this device (ring, answer, down, hangup, timeout, relayed signal).</summary>
    [ResponseTimeout("00:00:05")]
    Task OnCall(CallEvent callEvent);
}
