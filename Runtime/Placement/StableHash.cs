namespace OrleansIm.Runtime.Placement;

/// <summary>
/// A 64-bit hash that is the same in every process (string.GetHashCode is randomized per process):
/// FNV-1a over UTF-16 code units, finished with MurmurHash3's fmix64 so nearby strings spread over the ring.
/// </summary>
public static class StableHash
{
    public static ulong Compute(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
