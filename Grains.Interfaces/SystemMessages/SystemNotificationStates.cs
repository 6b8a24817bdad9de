namespace OrleansIm.Grains.Interfaces;

/// <summary>What became of the request a notification carries (<see cref="SystemNotification.State"/>).</summary>
public static class SystemNotificationStates
{
    /// <summary>Not handled yet (and every notification that carries no request).</summary>
    public const string Init = "init";

    public const string Passed = "passed";
    public const string Rejected = "rejected";

    /// <summary>Moot: the team was dismissed, the request withdrawn or answered elsewhere.</summary>
    public const string Invalid = "invalid";

    public static bool IsValid(string? state) => state is Init or Passed or Rejected or Invalid;
}
