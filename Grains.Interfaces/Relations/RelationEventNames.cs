namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 002's event names for friends, black and mute lists and name cards (docs/protocol.md § Friends and relations).</summary>
public static class RelationEventNames
{
    /// <summary>A friend-list change, to the user's other devices and to the other party's devices: {type, account, friend?}.</summary>
    public const string SyncFriend = "syncFriend";

    /// <summary>A black-list change, to the user's other devices: {account, add, time}.</summary>
    public const string UpdateBlackList = "updateBlackList";

    /// <summary>A mute-list change (user or conversation), to the user's other devices: {account|conv_id, add, time}.</summary>
    public const string UpdateMuteList = "updateMuteList";

    /// <summary>The user's own name card changed, to their other devices.</summary>
    public const string UpdateMyNameCard = "updateMyNameCard";
}
