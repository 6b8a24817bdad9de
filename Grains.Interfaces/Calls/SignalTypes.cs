namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 001 WebRTC signaling types relayed on /app/rtc/signaling.</summary>
public static class SignalTypes
{
    public const string Offer = "OFFER";
    public const string Answer = "ANSWER";
    public const string IceCandidate = "ICE_CANDIDATE";

    public static bool IsValid(string? type) => type is Offer or Answer or IceCandidate;
}
