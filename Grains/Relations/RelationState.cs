using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Relations;

/// <summary>
/// The persisted relations of one user (state name <c>relations</c>), each list bounded by <see cref="RelationLimits"/>:
/// at most a few thousand small entries, written whole on each change (changes are rare next to messages).
/// </summary>
[GenerateSerializer, Alias("im.RelationState")]
public sealed class RelationState
{
    /// <summary>Friend id → entry.</summary>
    [Id(0)]
    public Dictionary<string, Friend> Friends { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Blacklisted user id → unix ms added.</summary>
    [Id(1)]
    public Dictionary<string, long> Blacklist { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Muted user id → unix ms added.</summary>
    [Id(2)]
    public Dictionary<string, long> Mutelist { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Muted conversation id → unix ms added.</summary>
    [Id(3)]
    public Dictionary<string, long> MutedSessions { get; set; } = new(StringComparer.Ordinal);
}
