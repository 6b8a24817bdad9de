namespace OrleansIm.Runtime.Membership;

/// <summary>One silo's vote that another silo missed its probes, at a time.</summary>
public sealed record SuspectVote(SiloAddress Suspector, DateTimeOffset Time);
