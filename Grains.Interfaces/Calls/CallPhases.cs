namespace OrleansIm.Grains.Interfaces;

/// <summary>Phases of a call.</summary>
public static class CallPhases
{
    public const string Ringing = "RINGING";
    public const string Active = "ACTIVE";
    /// <summary>Ended: hung up, rejected, timed out or a party went offline.</summary>
    public const string Ended = "ENDED";
}
