using Orleans;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Deletes a closed connection's observer reference only after a grace period. A grain that pushed to the connection
/// just before it heard of the close (presence, a kick, a call event) then reaches an observer whose connection is
/// closed and drops the frame quietly, instead of an unknown target: Orleans would log that as an error and the
/// grain's awaited call would wait out its 5 s timeout. Grains forget the device on Disconnect, which cleanup sends
/// first, so pushes stop well within the grace period.
/// </summary>
public static class ObserverRetirement
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <param name="observer">The object behind the reference: Orleans holds it only weakly, so it is kept reachable until then.</param>
    public static void Retire(IGrainFactory grains, IClientObserver reference, IClientObserver observer)
    {
        _ = Task.Delay(Grace).ContinueWith(_ =>
        {
            grains.DeleteObjectReference<IClientObserver>(reference); // the reference, not the object: Orleans refuses anything else
            GC.KeepAlive(observer);
        }, TaskScheduler.Default);
    }
}
