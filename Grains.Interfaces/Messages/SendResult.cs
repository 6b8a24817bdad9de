using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>The acknowledgement of a send; Duplicate is true when a resend matched an earlier ClientMsgId.</summary>
[GenerateSerializer, Immutable, Alias("im.SendResult")]
public sealed record SendResult(string MsgId, long Seq, long Time, bool Duplicate);
