namespace OrleansIm.LoadTest.Output;

/// <summary>
/// The figures of one run against one target (the node or cluster, or the floor): counts, rates over the duration,
/// latency percentiles per kind, per-second timeline, the scenario's own figures and the delivery check.
/// </summary>
public sealed record RunResult(
    string Scenario,
    string Target,
    DateTime StartedUtc,
    double Seconds,
    long Sent,
    long Acked,
    long Delivered,
    long ExpectedDeliveries,
    long Errors,
    long RateLimited,
    long Connects,
    long ConnectFailures,
    long Events,
    double AckedPerSecond,
    double DeliveredPerSecond,
    IReadOnlyDictionary<string, LatencySummary> Latency,
    IReadOnlyDictionary<string, double> Extra,
    IReadOnlyDictionary<string, long> ErrorKinds,
    IReadOnlyList<TimelinePoint> Timeline,
    IReadOnlyDictionary<string, IReadOnlyList<double[]>> Histograms,
    CheckSummary? Check);
