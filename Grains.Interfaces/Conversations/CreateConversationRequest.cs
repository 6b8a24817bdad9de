using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 003 create: the creator plus to_client_ids become members.</summary>
[GenerateSerializer, Immutable, Alias("im.CreateConversationRequest")]
public sealed record CreateConversationRequest(
    string AppId,
    string CreatorId,
    IReadOnlyList<string> ToClientIds,
    int ConvType,
    string? ConvExtend);
