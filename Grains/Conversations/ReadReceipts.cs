namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Members' read positions of one conversation in memory, with the positions also kept sorted so "how many read seq N"
/// is a binary search (O(log members)) rather than a scan; "who read" scans the members and is paged by the caller.
/// </summary>
internal sealed class ReadReceipts
{
    private readonly Dictionary<string, long> _positions;
    private readonly List<long> _sorted; // every position > 0, ascending

    public ReadReceipts(Dictionary<string, long> positions)
    {
        _positions = new Dictionary<string, long>(positions, StringComparer.Ordinal);
        _sorted = _positions.Values.Where(p => p > 0).Order().ToList();
    }

    /// <summary>Set when a position moved since the last <see cref="Snapshot"/>.</summary>
    public bool Dirty { get; private set; }

    public long PositionOf(string userId) => _positions.GetValueOrDefault(userId);

    /// <summary>Moves a member's position forward; false (no change) for a stale or repeated one.</summary>
    public bool Advance(string userId, long seq)
    {
        var old = _positions.GetValueOrDefault(userId);
        if (seq <= old) return false;
        if (old > 0) _sorted.RemoveAt(_sorted.BinarySearch(old)); // present: every position > 0 is in the list
        var at = _sorted.BinarySearch(seq);
        _sorted.Insert(at >= 0 ? at : ~at, seq);
        _positions[userId] = seq;
        Dirty = true;
        return true;
    }

    /// <summary>How many members have read at least up to <paramref name="seq"/>.</summary>
    public int CountAtLeast(long seq)
    {
        // First index whose value is >= seq.
        int lo = 0, hi = _sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] < seq) lo = mid + 1;
            else hi = mid;
        }
        return _sorted.Count - lo;
    }

    /// <summary>A copy to persist; clears <see cref="Dirty"/>.</summary>
    public Dictionary<string, long> Snapshot()
    {
        Dirty = false;
        return new Dictionary<string, long>(_positions, StringComparer.Ordinal);
    }

    /// <summary>A failed write leaves the positions to be written again.</summary>
    public void MarkDirty() => Dirty = true;
}
