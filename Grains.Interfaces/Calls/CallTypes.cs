namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 001 call types; VIDEO when absent.</summary>
public static class CallTypes
{
    public const string Video = "VIDEO";
    public const string Audio = "AUDIO";

    public static bool IsValid(string? type) => type is Video or Audio;
}
