using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One per gateway process: the object a chatroom pushes to once per batch, whatever the number of that gateway's
/// connections in the room; the gateway copies the frames to its local connections. A room sends a relay one delivery
/// at a time and awaits it, so deliveries arrive in order; one that fails or gets no answer within 5 s means the
/// gateway is gone, and the room drops the relay with all its seats.
/// </summary>
[Alias("im.IChatroomRelay")]
public interface IChatroomRelay : IGrainObserver
{
    [ResponseTimeout("00:00:05")]
    Task Deliver(ChatroomDelivery delivery);
}
