using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>conv.list: the user's conversations with read/delivered cursors (input for msg.sync).</summary>
public sealed class ConversationListFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "conv.list";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var cursors = await grains.GetGrain<IUserGrain>(session.UserId).GetConversations();
        var rows = cursors.Select(c => (JsonNode)new JsonObject
        {
            ["conv_id"] = c.ConvId,
            ["last_read_seq"] = c.LastReadSeq,
            ["last_seq"] = c.LastSeq,
        }).ToArray();
        return FrameReply.Ack(Type, new JsonObject { ["conversations"] = new JsonArray(rows) });
    }
}
