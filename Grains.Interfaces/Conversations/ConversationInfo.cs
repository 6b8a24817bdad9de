using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A conversation's metadata (seed 003 query row). ConvExtend is raw JSON text or null; times are unix ms.</summary>
[GenerateSerializer, Immutable, Alias("im.ConversationInfo")]
public sealed record ConversationInfo(
    string ConvId,
    int ConvType,
    string AppId,
    string CreatorId,
    string? ConvExtend,
    int MemberCount,
    long CTime,
    long? MTime);
