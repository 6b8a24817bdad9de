using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// What <c>friend.add</c> did: <see cref="Friend"/> is the new (or existing) entry when the two are friends now, null when
/// a request waits for the other user (verify); <see cref="SysMsgId"/> is the id of the notification the other user got
/// (null when nothing was sent because they were friends already).
/// </summary>
[GenerateSerializer, Immutable, Alias("im.FriendAddResult")]
public sealed record FriendAddResult(Friend? Friend, long? SysMsgId);
