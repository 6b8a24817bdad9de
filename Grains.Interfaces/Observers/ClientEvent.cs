using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A named event for a client: the session model's and social features' pushes (seed 002's event names, e.g.
/// <c>updateSession</c>, <c>msgReceipts</c>, <c>multiPortLogin</c>). <see cref="PayloadJson"/> is the JSON object the
/// client receives as the event's data. One observer method carries them all, so a new event is a new name, not a
/// new interface method every gateway must know. Events travel apart from message pushes and are not ordered with
/// them: an event about a message (a recall, a receipt) names the message, which the client can fetch if it has
/// not got it yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.ClientEvent")]
public sealed record ClientEvent(string Name, string PayloadJson);
