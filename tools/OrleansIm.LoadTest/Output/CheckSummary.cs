using OrleansIm.LoadTest.Checking;

namespace OrleansIm.LoadTest.Output;

/// <summary>The delivery checker's verdict as the reports carry it.</summary>
public sealed record CheckSummary(bool Passed, int Conversations, long StoredMessages, long AckedMessages, long Deliveries,
    IReadOnlyDictionary<string, long> Problems, IReadOnlyList<string> Examples, string Summary)
{
    public static CheckSummary Of(DeliveryCheckResult result) => new(result.Passed, result.Conversations, result.StoredMessages, result.AckedMessages,
        result.Deliveries, result.Counts.ToDictionary(c => c.Key.ToString().ToLowerInvariant(), c => c.Value),
        result.Examples.Select(e => e.ToString()).ToList(), result.Summary());
}
