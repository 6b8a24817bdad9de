using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>
/// Pushes one device's messages in order. Orleans does not keep the order of calls a grain sends to a client
/// observer without awaiting them: each is addressed on its own and a later one may overtake an earlier one. So a
/// device has one push in flight at a time and the rest wait here, in seq order. The pump runs on the activation's
/// scheduler, interleaved with its turns. A queue that reaches its capacity (the device's gateway is unreachable
/// or far behind) or a push that fails ends the queue: the owner drops the device and the client resyncs with msg.sync.
/// </summary>
internal sealed class DevicePushQueue(DeviceSession session, int capacity, Action<DeviceSession, Exception?> onBroken)
{
    private readonly Queue<ChatMessage> _pending = new();
    private bool _pumping;
    private bool _broken;

    /// <summary>The session pushes go to; a refresh of the same connection may bring a re-created observer.</summary>
    public DeviceSession Session { get; set; } = session;

    public int Count => _pending.Count;

    public void Enqueue(ChatMessage message)
    {
        if (_broken) return;
        if (_pending.Count >= capacity)
        {
            Break(null);
            return;
        }
        _pending.Enqueue(message);
        if (_pumping) return;
        _pumping = true;
        _ = PumpAsync();
    }

    private async Task PumpAsync()
    {
        while (!_broken && _pending.TryDequeue(out var message))
        {
            try
            {
                await Session.Observer.OnMessage(message);
            }
            catch (Exception ex)
            {
                Break(ex);
            }
        }
        _pumping = false;
    }

    private void Break(Exception? exception)
    {
        _broken = true;
        _pending.Clear();
        onBroken(Session, exception);
    }
}
