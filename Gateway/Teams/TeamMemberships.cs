using OrleansIm.Grains.Interfaces;
using Orleans;
using OrleansIm.Gateway.Protocol.Sync;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// The teams a user is in, with their member record in each, for the login sync's <c>teams</c> and <c>myTeamMembers</c>:
/// the user's conversations asked in parallel batches (non-groups answer null). Both sections of one sync share one
/// load through the sync's <see cref="LoginSyncCache"/>, so a sync asking for both asks each conversation once.
/// </summary>
public static class TeamMemberships
{
    /// <summary>Conversations asked at once (bounds the calls a single login has in flight).</summary>
    public const int Batch = 64;

    public static Task<IReadOnlyList<TeamMembership>> ForSyncAsync(IGrainFactory grains, string userId, LoginSyncCache shared) =>
        shared.GetOrAdd(nameof(TeamMemberships), () => LoadAsync(grains, userId));

    public static async Task<IReadOnlyList<TeamMembership>> LoadAsync(IGrainFactory grains, string userId)
    {
        var conversations = await grains.GetGrain<IUserGrain>(userId).GetConversations();
        var teams = new List<TeamMembership>();
        foreach (var chunk in conversations.Chunk(Batch))
        {
            var found = await Task.WhenAll(chunk.Select(c => grains.GetGrain<ITeamGrain>(c.ConvId).GetMembership(userId)));
            teams.AddRange(found.OfType<TeamMembership>());
        }
        return teams.OrderBy(t => t.Team.TeamId, StringComparer.Ordinal).ToList();
    }
}
