using OrleansIm.Runtime.Membership;

namespace OrleansIm.Runtime.Placement;

/// <summary>
/// Grain placement by consistent hashing over the Active silos, with virtual nodes for balance. A pure
/// function of the silo set: every node holding the same membership view computes the same owner, and
/// adding or removing a silo moves only the keys of the ring segments it gains or loses.
/// </summary>
public sealed class ConsistentHashRing
{
    public const int DefaultVirtualNodes = 64;

    private readonly ulong[] _points;
    private readonly SiloAddress[] _owners;

    public ConsistentHashRing(IEnumerable<SiloAddress> silos, int virtualNodes = DefaultVirtualNodes)
    {
        Silos = silos.Distinct().OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        var points = new List<(ulong Point, SiloAddress Silo)>(Silos.Count * virtualNodes);
        foreach (var silo in Silos)
        {
            for (var i = 0; i < virtualNodes; i++) points.Add((StableHash.Compute($"{silo}#{i}"), silo));
        }
        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : string.CompareOrdinal(a.Silo.ToString(), b.Silo.ToString()));
        _points = points.Select(p => p.Point).ToArray();
        _owners = points.Select(p => p.Silo).ToArray();
    }

    public IReadOnlyList<SiloAddress> Silos { get; }

    public bool IsEmpty => _points.Length == 0;

    /// <summary>The silo owning a grain: the first ring point at or after the grain's hash (wrapping around).</summary>
    public SiloAddress GetOwner(GrainId grainId)
    {
        if (_points.Length == 0) throw new InvalidOperationException("No active silo: the placement ring is empty.");
        var hash = StableHash.Compute(grainId.ToString());
        var index = Array.BinarySearch(_points, hash);
        if (index < 0) index = ~index;
        return _owners[index == _points.Length ? 0 : index];
    }
}
