namespace OrleansIm.Gateway.Sockets;

/// <summary>A connection whose periodic duties (idle timeout, re-registration, heart-beats, stalled sends) <see cref="ConnectionTicker"/> runs.</summary>
public interface ITickedConnection
{
    /// <summary>Called every tick with <see cref="Environment.TickCount64"/>; must not block (start work, do not await it).</summary>
    void Tick(long nowMs);
}
