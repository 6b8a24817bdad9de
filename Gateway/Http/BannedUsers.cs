using Orleans;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// Seed 000's ban (userStatus 2, code 213). The app-key REST API acts for the application, but never as a banned user:
/// a ban refuses the user on every surface, and a REST call naming them as the actor (from_client, client_id) gets 213
/// like their login does. Bans are set by PUT /openapi/v1/user/status and by the admin API alike.
/// </summary>
public static class BannedUsers
{
    /// <summary>Bans (<see cref="UserStatuses.Banned"/>, which kicks every live device with 4403) or unbans; 211 for an unknown user. Returns the profile.</summary>
    public static async Task<UserProfile?> SetStatusAsync(IGrainFactory grains, string userId, int userStatus)
    {
        if (userStatus is not (UserStatuses.Normal or UserStatuses.Banned))
            throw new ImException(ImErrorCodes.InvalidParameter, "userStatus must be 1 (normal) or 2 (banned).");
        var user = grains.GetGrain<IUserGrain>(userId);
        if (await user.GetProfile() is null) throw new ImException(ImErrorCodes.UnknownUser, "Unknown user.");
        await user.SetUserStatus(userStatus);
        return await user.GetProfile();
    }

    public static async Task RefuseAsync(IGrainFactory grains, string userId)
    {
        if (await grains.GetGrain<IUserGrain>(userId).GetProfile() is { UserStatus: UserStatuses.Banned })
            throw new ImException(ImErrorCodes.Banned, $"User '{userId}' is banned.");
    }
}
