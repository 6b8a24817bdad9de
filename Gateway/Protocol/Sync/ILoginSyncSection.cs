using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol.Sync;

/// <summary>
/// One part of the login sync (<c>sync</c> frame), turned on by a seed 002 sync option — friends, teams, relations,
/// system notifications. Features add a section instead of growing the sync handler; the handler runs the sections the
/// client asked for and sends their frames, in <see cref="Order"/>, ahead of <c>syncdone</c>.
/// </summary>
public interface ILoginSyncSection
{
    /// <summary>The sync option that turns it on, e.g. <c>sysMsgs</c>, <c>friends</c>, <c>teams</c>.</summary>
    string Option { get; }

    /// <summary>Further option names it reads (e.g. a limit), accepted by the sync frame instead of 4406.</summary>
    IReadOnlyCollection<string> ExtraOptions { get; }

    /// <summary>Whether it runs when the client does not name its option.</summary>
    bool OnByDefault { get; }

    /// <summary>
    /// Place among the sync's frames, lower first. Built-ins: syncMyNameCard 100, sessions 500, syncOfflineMsgs 600,
    /// syncRoamingMsgs 700. Sections: relations 10, friends 20, users 150, teams 200, myTeamMembers 210, syncSysMsgs 800.
    /// </summary>
    int Order { get; }

    /// <summary>
    /// The frames to send ahead of syncdone (usually one, named as seed 002 names the event). May add fields to
    /// <paramref name="done"/> (syncdone's data), e.g. continuation cursors, and should spend
    /// <paramref name="budget"/>, the sync's shared reply-size budget, for anything unbounded. <paramref name="shared"/>
    /// holds what several sections of this sync read (a load made once).
    /// </summary>
    Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken);
}
