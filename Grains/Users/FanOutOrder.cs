using System.Diagnostics;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>
/// Puts a user's incoming message deliveries back in the order their conversations fanned them out. A conversation
/// activation numbers what it sends each member 1, 2, … in a stream of its own (<see cref="IUserGrain.Deliver"/>), and
/// one-way calls between silos may arrive out of order (measured: ~1 % of pushes in a 3-silo cluster). In-order
/// deliveries pass straight through; one ahead of a gap waits until the gap fills or <see cref="GapTimeout"/> passes (a
/// delivery lost with a silo), then what waits goes out in order. A stream first met above number 1 that began after this
/// user activation (<see cref="FanOutStreamIds"/>) can only be missing deliveries still in flight, and waits like any gap;
/// one that may be older than this activation (its lower numbers may have gone to an earlier one) waits at most
/// <see cref="FreshStreamWait"/>. Runs on the owning activation's scheduler: no locks.
/// </summary>
internal sealed class FanOutOrder(DateTimeOffset activatedAt)
{
    /// <summary>Clock differences between silos this much are taken for "may be older than this activation".</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(2);

    private readonly long _activatedAt = activatedAt.ToUnixTimeSeconds();

    /// <summary>How long a delivery waits behind a gap in a stream already flowing.</summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long the first delivery of a stream new to this activation, numbered above 1, waits for lower ones.</summary>
    public static readonly TimeSpan FreshStreamWait = TimeSpan.FromMilliseconds(50);

    /// <summary>Most deliveries waiting per user; past it everything waiting goes out (order over memory stops there).</summary>
    public const int MaxWaiting = 1024;

    // Made at the first delivery: a user who receives nothing keeps none (issue 12: an idle user's activation).
    private Dictionary<string, ConversationStream>? _streams;

    /// <summary>Deliveries waiting behind a gap, over all conversations.</summary>
    public int Waiting { get; private set; }

    /// <summary>Takes one delivery; appends to <paramref name="ready"/> what may go out now, in order.</summary>
    public void Accept(ChatMessage message, long stream, long number, List<ChatMessage> ready)
    {
        if (stream == 0 || number <= 0)
        {
            ready.Add(message); // unnumbered (a caller outside the fan-out): nothing to order by
            return;
        }
        _streams ??= new Dictionary<string, ConversationStream>(StringComparer.Ordinal);
        if (!_streams.TryGetValue(message.ConvId, out var s) || s.Stream != stream)
        {
            if (s is not null) Flush(s, ready); // a new conversation activation: the old one's stragglers first
            var beganAfterUs = FanOutStreamIds.StartedAt(stream) > _activatedAt + (long)ClockMargin.TotalSeconds;
            s = new ConversationStream(stream) { Fresh = number > 1 && !beganAfterUs };
            _streams[message.ConvId] = s;
        }

        if (number == s.Next)
        {
            ready.Add(message);
            s.Next = number + 1;
            s.Fresh = false;
            Drain(s, ready);
        }
        else if (number > s.Next)
        {
            if (s.Waiting.TryAdd(number, message)) Waiting++;
            if (s.WaitingSince == 0) s.WaitingSince = Stopwatch.GetTimestamp();
            if (Waiting > MaxWaiting)
            {
                foreach (var other in _streams.Values) Flush(other, ready);
            }
        }
        else
        {
            ready.Add(message); // below Next: released past it already (after a timeout), so late rather than lost
        }
    }

    /// <summary>How long what waits behind a gap in this conversation's stream may wait; null when nothing waits.</summary>
    internal TimeSpan? WaitLimit(string convId) =>
        _streams is not null && _streams.TryGetValue(convId, out var s) && s.Waiting.Count > 0 ? (s.Fresh ? FreshStreamWait : GapTimeout) : null;

    /// <summary>Releases, in order, what waited past its timeout.</summary>
    public void ReleaseOverdue(List<ChatMessage> ready)
    {
        if (_streams is null) return;
        foreach (var s in _streams.Values)
        {
            if (s.Waiting.Count == 0) continue;
            var limit = s.Fresh ? FreshStreamWait : GapTimeout;
            if (Stopwatch.GetElapsedTime(s.WaitingSince) >= limit) Flush(s, ready);
        }
    }

    /// <summary>Forgets a conversation the user left.</summary>
    public void Forget(string convId, List<ChatMessage> ready)
    {
        if (_streams is not null && _streams.Remove(convId, out var s)) Flush(s, ready);
    }

    private void Drain(ConversationStream s, List<ChatMessage> ready)
    {
        while (s.Waiting.Remove(s.Next, out var next))
        {
            Waiting--;
            ready.Add(next);
            s.Next++;
        }
        s.WaitingSince = s.Waiting.Count == 0 ? 0 : Stopwatch.GetTimestamp();
    }

    /// <summary>Gives up on the gap: what waits goes out in number order and the stream goes on after it.</summary>
    private void Flush(ConversationStream s, List<ChatMessage> ready)
    {
        foreach (var (number, message) in s.Waiting)
        {
            ready.Add(message);
            s.Next = number + 1;
        }
        Waiting -= s.Waiting.Count;
        s.Waiting.Clear();
        s.WaitingSince = 0;
        s.Fresh = false;
    }

    private sealed class ConversationStream(long stream)
    {
        public long Stream { get; } = stream;

        public long Next { get; set; } = 1;

        /// <summary>First seen mid-stream: lower numbers may be in flight, or may have gone to an earlier activation.</summary>
        public bool Fresh { get; set; }

        public SortedDictionary<long, ChatMessage> Waiting { get; } = [];

        /// <summary>Stopwatch timestamp since which the oldest current gap has been open (0 = none).</summary>
        public long WaitingSince { get; set; }
    }
}
