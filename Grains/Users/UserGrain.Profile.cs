using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>The user's own name card changes (user.update_profile), apart from login's.</summary>
public sealed partial class UserGrain
{
    public async Task<UserProfile> UpdateProfile(ProfileUpdate update, string? exceptConnectionId)
    {
        ArgumentNullException.ThrowIfNull(update);
        EnsureRegistered();
        if (update.Nickname is not null && string.IsNullOrWhiteSpace(update.Nickname))
            throw new ImException(ImErrorCodes.MissingParameter, "nickname must not be empty.");
        State.Nickname = update.Nickname ?? State.Nickname;
        State.Avatar = update.Avatar ?? State.Avatar;
        State.ExtrasJson = update.ExtrasJson ?? State.ExtrasJson;
        await WriteStateAsync();
        var profile = ToProfile();
        await Notify(new ClientEvent(RelationEventNames.UpdateMyNameCard, NameCardJson.ToJson(profile).ToJsonString()), exceptConnectionId);
        return profile;
    }
}
