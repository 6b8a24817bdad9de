namespace OrleansIm.LoadTest.Targets;

/// <summary>
/// One of issue 12's performance targets as measured: the figure, the floor's beside it where the target is a ratio,
/// and whether it was met (null when it could not be measured here, with the reason in <see cref="Note"/>).
/// </summary>
public sealed record TargetCheck(string Target, string Goal, double? Measured, string Unit, double? Floor, double? Ratio, bool? Met, string Note);
