using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A message pushed to one device. Pushes are one-way calls, which Orleans may deliver out of order, so a user grain
/// numbers each device's pushes 1, 2, … within a stream and the gateway releases them by number. A stream id is
/// random and new each time the grain registers the device afresh (a new connection, or the grain came back up on
/// another silo), so numbers never continue across activations.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.MessagePush")]
public sealed record MessagePush(long Stream, long Number, ChatMessage Message);
