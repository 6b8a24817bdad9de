using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A client connection as grains see it: one per socket, hosted by the gateway that owns the socket.</summary>
[Alias("im.IClientObserver")]
public interface IClientObserver : IGrainObserver
{
    Task OnMessage(ChatMessage message);
    Task OnPresence(PresenceChange change);
    Task OnKicked(KickNotice notice);

    /// <summary>A call event for this device (ring, answer, down, hangup, timeout, relayed signal).</summary>
    Task OnCall(CallEvent callEvent);
}
