using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Look-ups across users without activating them. Stateless; use key 0.</summary>
[Alias("im.IUserDirectoryGrain")]
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Most ids one <see cref="FindKnown"/> may check.</summary>
    public const int MaxLookupIds = 1000;

    /// <summary>
    /// The ids among <paramref name="userIds"/> (at most <see cref="MaxLookupIds"/>) of users who have logged in, found
    /// in one index read. Only they can be online: presence of the others is OFFLINE without asking their grains.
    /// </summary>
    Task<IReadOnlyList<string>> FindKnown(IReadOnlyList<string> userIds);
}
