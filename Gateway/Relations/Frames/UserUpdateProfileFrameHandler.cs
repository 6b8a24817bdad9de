using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>
/// user.update_profile {nickname?, avatar?, extras?}: changes the user's own name card (absent fields keep theirs); the
/// user's other devices get updateMyNameCard. Ack = the new name card.
/// </summary>
public sealed class UserUpdateProfileFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "user.update_profile";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var update = RelationFields.ProfileUpdate(data);
        var profile = await grains.GetGrain<IUserGrain>(session.UserId).UpdateProfile(update, session.ConnectionId);
        return FrameReply.Ack(Type, NameCardJson.ToJson(profile));
    }
}
