namespace OrleansIm.LoadTest.Checking;

/// <summary>What the delivery checker found: counts per problem kind, and the first problems of each kind.</summary>
public sealed record DeliveryCheckResult(int Conversations, long StoredMessages, long AckedMessages, long Deliveries,
    IReadOnlyDictionary<DeliveryProblemKind, long> Counts, IReadOnlyList<DeliveryProblem> Examples)
{
    public bool Passed => Counts.Values.All(c => c == 0);

    public long Count(DeliveryProblemKind kind) => Counts.GetValueOrDefault(kind);

    public string Summary() => Passed
        ? $"delivery check passed: {AckedMessages:N0} acked messages in {Conversations:N0} conversations, each in history once and in send order; {Deliveries:N0} deliveries match history"
        : $"delivery check FAILED: {string.Join(", ", Counts.Where(c => c.Value > 0).Select(c => $"{c.Value:N0} {c.Key.ToString().ToLowerInvariant()}"))}" +
          $" ({AckedMessages:N0} acked, {StoredMessages:N0} stored, {Deliveries:N0} deliveries checked)";
}
