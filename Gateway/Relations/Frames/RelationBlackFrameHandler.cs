using OrleansIm.Gateway.Auth;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>
/// relation.black {account, add}: puts a user on (or takes them off) the black list. Their private messages to this user
/// are then refused with 4301. Ack {account, add, time (null after a removal)}.
/// </summary>
public sealed class RelationBlackFrameHandler(IGrainFactory grains, AppCredentials app) : IFrameHandler
{
    public string Type => "relation.black";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        var add = RelationFields.RequiredFlag(data, "add");
        var entry = await grains.GetGrain<IRelationGrain>(session.UserId).SetBlack(app.AppId, account, add, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["account"] = account, ["add"] = add, ["time"] = entry?.Time });
    }
}
