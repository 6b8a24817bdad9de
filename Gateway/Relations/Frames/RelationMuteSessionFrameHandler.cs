using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>
/// relation.mute_session {conv_id, add}: mutes (or unmutes) one conversation for this user. Ack {conv_id, add, time}.
/// Muting needs a conversation the user is in (4003 otherwise, as every read answers); unmuting does not, so a mute
/// outlives leaving and can still be taken back.
/// </summary>
public sealed class RelationMuteSessionFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "relation.mute_session";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var add = RelationFields.RequiredFlag(data, "add");
        if (add) await grains.GetGrainWithCachedType<IConversationGrain>(convId).GetInfo(session.UserId);
        var entry = await grains.GetGrain<IRelationGrain>(session.UserId).SetSessionMute(convId, add, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["conv_id"] = convId, ["add"] = add, ["time"] = entry?.Time });
    }
}
