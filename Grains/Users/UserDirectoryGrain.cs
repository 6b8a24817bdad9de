using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Grains.Users;

/// <summary>Stateless look-ups across users: forwards to the <see cref="IUserIndex"/>, which user grains keep up to date.</summary>
[GrainType("userdirectory"), Orleans.Concurrency.StatelessWorker]
public sealed class UserDirectoryGrain(IUserIndex index) : Grain, IUserDirectoryGrain
{
    public async Task<IReadOnlyList<string>> FindKnown(IReadOnlyList<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count > IUserDirectoryGrain.MaxLookupIds)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {IUserDirectoryGrain.MaxLookupIds} user ids per look-up.");
        var known = await index.FindExistingAsync(userIds);
        return userIds.Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();
    }
}
