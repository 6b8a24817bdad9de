using System.Collections.Concurrent;
using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Checking;

/// <summary>What the clients of a run recorded for the delivery checker: acks, deliveries, and the conversations with a
/// member to read each one's history as.</summary>
public sealed class DeliveryLedger
{
    public ConcurrentQueue<AckedMessage> Acked { get; } = new();

    public ConcurrentQueue<DeliveredMessage> Delivered { get; } = new();

    public ConcurrentDictionary<string, ImUser> Conversations { get; } = new();
}
