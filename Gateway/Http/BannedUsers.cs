using Orleans;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// The app-key REST API acts for the application, but never as a banned user: a ban refuses the user on every
/// surface, and a REST call naming them as the actor (from_client, client_id) gets 213 like their login does.
/// </summary>
public static class BannedUsers
{
    public static async Task RefuseAsync(IGrainFactory grains, string userId)
    {
        if (await grains.GetGrain<IUserGrain>(userId).GetProfile() is { UserStatus: UserStatuses.Banned })
            throw new ImException(ImErrorCodes.Banned, $"User '{userId}' is banned.");
    }
}
