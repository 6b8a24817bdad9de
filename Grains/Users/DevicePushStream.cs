using System.Diagnostics;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>
/// Pushes one device's messages as one-way calls numbered 1, 2, … in a stream of its own; the gateway puts them back
/// in order (<see cref="MessagePush"/>). One-way costs no response message and no per-call timeout, which is most of
/// a push's cost in Orleans. What an awaited push used to tell for free, that the device's gateway still has the
/// connection, an awaited <see cref="IClientObserver.Probe"/> tells instead: on a stream's first push and then at
/// most once per probe period while pushes flow. A failed probe ends the stream and the owner drops the device; the
/// client resyncs with msg.sync when it reconnects. Runs on the owning activation's scheduler.
/// </summary>
internal sealed class DevicePushStream(DeviceSession session, TimeSpan probePeriod, Action<DeviceSession, Exception?> onBroken)
{
    private readonly long _streamId = Random.Shared.NextInt64(1, long.MaxValue);
    private long _number;
    private long _lastProbe;
    private bool _probing;
    private bool _broken;

    /// <summary>The session pushes go to (a refresh with the same observer keeps the stream).</summary>
    public DeviceSession Session { get; set; } = session;

    public void Push(ChatMessage message)
    {
        if (_broken) return;
        try
        {
            _ = Session.Observer.OnMessage(new MessagePush(_streamId, ++_number, message));
        }
        catch (Exception ex)
        {
            Break(ex);
            return;
        }
        if (!_probing && (_lastProbe == 0 || Stopwatch.GetElapsedTime(_lastProbe) >= probePeriod)) _ = ProbeAsync();
    }

    private async Task ProbeAsync()
    {
        _probing = true;
        try
        {
            await Session.Observer.Probe();
        }
        catch (Exception ex)
        {
            Break(ex);
        }
        finally
        {
            _probing = false;
            _lastProbe = Stopwatch.GetTimestamp();
        }
    }

    private void Break(Exception exception)
    {
        if (_broken) return;
        _broken = true;
        onBroken(Session, exception);
    }
}
