using System.Text.Json;
using OrleansIm.Tests.EndToEnd;

namespace OrleansIm.Tests.Teams;

/// <summary>A logged-in user with one connected socket, for team tests.</summary>
public sealed class TeamClient(string userId, string token, ImSocket socket) : IAsyncDisposable
{
    public string UserId { get; } = userId;

    public string Token { get; } = token;

    public ImSocket Socket { get; } = socket;

    public static async Task<TeamClient> ConnectAsync(TestNode node, string prefix)
    {
        var id = NodeFixture.NewUserId(prefix);
        var token = await node.LoginAsync(id);
        return new TeamClient(id, token, await node.ConnectAsync(token));
    }

    public static async Task<TeamClient[]> ConnectManyAsync(TestNode node, string prefix, int count)
    {
        var clients = new TeamClient[count];
        for (var i = 0; i < count; i++) clients[i] = await ConnectAsync(node, prefix);
        return clients;
    }

    /// <summary>team.create with this user as owner; returns the team id.</summary>
    public async Task<string> CreateTeamAsync(string name, IEnumerable<TeamClient> members, object? extra = null)
    {
        var data = new Dictionary<string, object?> { ["name"] = name, ["members"] = members.Select(m => m.UserId).ToArray() };
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject()) data[p.Name] = p.Value;
        }
        var ack = await Socket.AckAsync("team.create", data);
        return ack.GetProperty("team").GetProperty("team_id").GetString()!;
    }

    /// <summary>Waits for the named event about this team.</summary>
    public Task<JsonElement> EventAsync(string name, string teamId) =>
        Socket.WaitForTypeAsync(name, f => TeamIdOf(f.GetProperty("data")) == teamId);

    private static string? TeamIdOf(JsonElement data) =>
        data.TryGetProperty("team_id", out var id) ? id.GetString()
        : data.TryGetProperty("team", out var team) ? team.GetProperty("team_id").GetString()
        : null;

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
