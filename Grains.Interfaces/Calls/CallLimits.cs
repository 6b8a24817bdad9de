namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 001 validation limits.</summary>
public static class CallLimits
{
    public const int MaxCallIdLength = 100;
    public const int MaxUserNameLength = 100;
    /// <summary>Largest SDP or candidate payload relayed (a typical SDP is 2–10 KB).</summary>
    public const int MaxSignalPayloadLength = 64 * 1024;
}
