namespace OrleansIm.Runtime.Membership;

/// <summary>
/// Failure detection settings (configuration section "Membership"). With the defaults a silo that stops
/// answering is declared dead after about ProbePeriod × MissedProbesLimit plus one table refresh (~5–8 s).
/// </summary>
public sealed class MembershipOptions
{
    /// <summary>How often a silo writes its I-am-alive time.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the table is re-read to learn of joins, leaves and deaths.</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each silo probes the silos it monitors.</summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one probe may take (generous: a busy 2-core node can stall for a second).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A freshly started process (JIT, cold caches) answers and probes slowly. A silo that joined less than this
    /// long ago and has not yet answered a probe is not voted against, and a new silo does not vote until one of
    /// its own probes succeeded. Once warm (it answered once) a silo is suspected normally, so a silo killed
    /// right after start-up is caught as fast as any other.
    /// </summary>
    public TimeSpan NewSiloGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive missed probes before a silo votes its target suspect.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How many silos each silo probes (its successors on a ring of active silos).</summary>
    public int NumProbedSilos { get; set; } = 3;

    /// <summary>Fresh votes needed to declare a silo dead (fewer if fewer other silos exist).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Votes older than this no longer count.</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Dead rows older than this are deleted from the table.</summary>
    public TimeSpan DefunctEntryExpiration { get; set; } = TimeSpan.FromDays(1);
}
