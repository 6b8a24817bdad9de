namespace OrleansIm.Grains.Storage;

/// <summary>
/// The ids of users who have logged in (or connected) since this table exists, derived from user grains, which add
/// themselves on login and on their first connect in an activation. Only a user in it can be online, so a request
/// naming many users (presence.query) answers the others OFFLINE from one read, without activating or reading them.
/// </summary>
public interface IUserIndex
{
    /// <summary>Adds the user; idempotent.</summary>
    Task AddAsync(string userId);

    /// <summary>Which of <paramref name="userIds"/> are in the index, in ONE read whatever their number.</summary>
    Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds);
}
