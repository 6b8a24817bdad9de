using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations;

/// <summary>Name cards of several users at once (user.get, the login sync's <c>users</c>, GET /im/users): one profile read per user, in parallel; unknown users are left out.</summary>
public static class NameCards
{
    public static async Task<IReadOnlyList<JsonObject>> LookUpAsync(IGrainFactory grains, IReadOnlyList<string> userIds)
    {
        var profiles = await Task.WhenAll(userIds.Select(id => grains.GetGrain<IUserGrain>(id).GetProfile()));
        return profiles.OfType<UserProfile>().Select(NameCardJson.ToJson).ToList();
    }

    public static JsonArray ToArray(IEnumerable<JsonObject> cards) => new(cards.Select(c => (JsonNode)c).ToArray());
}
