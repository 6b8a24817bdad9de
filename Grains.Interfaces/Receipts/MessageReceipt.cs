using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Who has read one message: <see cref="Read"/> members other than the sender have a read cursor at or past its seq,
/// <see cref="Unread"/> other members do not.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.MessageReceipt")]
public sealed record MessageReceipt(long Seq, string MsgId, string FromClient, int Read, int Unread);
