namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 001 presence values.</summary>
public static class PresenceStatus
{
    public const string Online = "ONLINE";
    public const string Offline = "OFFLINE";
}
