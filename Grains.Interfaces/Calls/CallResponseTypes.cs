namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 001 Call-Response types.</summary>
public static class CallResponseTypes
{
    public const string Accept = "ACCEPT";
    public const string Reject = "REJECT";

    public static bool IsValid(string? type) => type is Accept or Reject;
}
