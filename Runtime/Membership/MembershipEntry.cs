namespace OrleansIm.Runtime.Membership;

/// <summary>One row of the membership table: one silo incarnation.</summary>
public sealed record MembershipEntry(
    SiloAddress Address,
    string SiloName,
    SiloStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime,
    IReadOnlyList<SuspectVote> Suspicions)
{
    /// <summary>Votes cast after <paramref name="since"/> (older votes have expired).</summary>
    public IReadOnlyList<SuspectVote> FreshSuspicions(DateTimeOffset since) => Suspicions.Where(v => v.Time >= since).ToList();
}
