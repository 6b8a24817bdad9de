using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>
/// Stands in for another gateway's relay: seated directly in a room through the grain API, it records what the room
/// delivers, or fails every delivery as a gateway that died would.
/// </summary>
public sealed class FakeChatroomRelay(bool fails) : IChatroomRelay
{
    private int _deliveries;

    public string RelayId { get; } = "fake-" + Guid.NewGuid().ToString("N");

    public int Deliveries => Volatile.Read(ref _deliveries);

    public Task Deliver(ChatroomDelivery delivery)
    {
        Interlocked.Increment(ref _deliveries);
        return fails ? Task.FromException(new InvalidOperationException("This gateway is gone.")) : Task.CompletedTask;
    }
}
