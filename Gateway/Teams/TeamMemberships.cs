using OrleansIm.Grains.Interfaces;
using Orleans;
using OrleansIm.Gateway.Protocol.Sync;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// The teams a user is in, with their member record in each, for the login sync's <c>teams</c> and <c>myTeamMembers</c>:
/// the index says which of the user's conversations are groups (one read per 1,000), and only those are asked, in
/// parallel batches — a login does not activate the user's private conversations to learn they are not teams. Both
/// sections of one sync share one load through the sync's <see cref="LoginSyncCache"/>, so a sync asking for both asks
/// each group once.
/// </summary>
public static class TeamMemberships
{
    /// <summary>Conversations asked at once (bounds the calls a single login has in flight).</summary>
    public const int Batch = 64;

    public static Task<IReadOnlyList<TeamMembership>> ForSyncAsync(IGrainFactory grains, string appId, string userId, LoginSyncCache shared) =>
        shared.GetOrAdd(nameof(TeamMemberships), () => LoadAsync(grains, appId, userId));

    public static async Task<IReadOnlyList<TeamMembership>> LoadAsync(IGrainFactory grains, string appId, string userId)
    {
        var conversations = await grains.GetGrain<IUserGrain>(userId).GetConversations();
        var directory = grains.GetGrain<IConversationDirectoryGrain>(appId);
        var groups = new List<string>();
        foreach (var chunk in conversations.Select(c => c.ConvId).Chunk(IConversationDirectoryGrain.MaxExistenceCheckIds))
            groups.AddRange(await directory.FindExisting(chunk, ConversationTypes.Group));
        var teams = new List<TeamMembership>();
        foreach (var chunk in groups.Chunk(Batch))
        {
            var found = await Task.WhenAll(chunk.Select(id => grains.GetGrain<ITeamGrain>(id).GetMembership(userId)));
            teams.AddRange(found.OfType<TeamMembership>());
        }
        return teams.OrderBy(t => t.Team.TeamId, StringComparer.Ordinal).ToList();
    }
}
