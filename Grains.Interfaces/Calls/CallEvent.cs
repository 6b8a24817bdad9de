using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A call event for one device. PayloadJson is the exact JSON body the client receives (the seed's shapes:
/// the request as sent for "request", {"callId","type"} for "response", {"callId"} for down/hangup/timeout,
/// {"callId","type","payload"} for "signaling").
/// </summary>
[GenerateSerializer, Immutable, Alias("im.CallEvent")]
public sealed record CallEvent(string Kind, string CallId, string PayloadJson);
