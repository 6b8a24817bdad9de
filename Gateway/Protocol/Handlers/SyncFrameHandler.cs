using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// sync: seed 002's login sync, chosen by the client's sync options, as ordered frames — syncMyNameCard, sessions,
/// syncOfflineMsgs, syncRoamingMsgs — and the reply syncdone. All of it comes from grains and the stores, so a client
/// reconnecting to any gateway gets the same. The messages of one sync (session last messages, offline, roaming) share
/// one <see cref="GatewayOptions.MaxReplyBytes"/> budget and at most <see cref="GatewayOptions.MaxSyncMessages"/> offline
/// and roaming messages; what does not fit is named in syncdone (has_more, cursors) for msg.sync / session.list / msg.history.
/// Features beyond these (system notifications, friends, teams) add an <see cref="ILoginSyncSection"/>, run here in order.
/// </summary>
public sealed class SyncFrameHandler(IGrainFactory grains, IOptions<GatewayOptions> options, IEnumerable<ILoginSyncSection> sections) : IFrameHandler
{
    private readonly ILoginSyncSection[] _sections = sections.ToArray();

    /// <summary>Most conversations in <c>cursors</c>.</summary>
    public const int MaxCursors = 1000;

    public const int DefaultRoamingLimit = 20;

    /// <summary>
    /// Seed 002 sync options of features this server may not have: when no <see cref="ILoginSyncSection"/> claims one it is
    /// accepted and named in syncdone's <c>skipped</c>, so a client written for it still syncs. Any other unknown option is 4406.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedOptions =
        new HashSet<string>(StringComparer.Ordinal) { "teams", "superTeams", "friends", "friendUsers", "relations", "sysMsgs", "myTeamMembers" };

    private static readonly IReadOnlySet<string> BuiltInOptions =
        new HashSet<string>(StringComparer.Ordinal) { "myInfo", "sessions", "sessionLimit", "offlineMsgs", "roamingMsgs", "roamingLimit", "cursors" };

    // Frame order of the built-in parts (ILoginSyncSection.Order).
    private const int MyInfoOrder = 100, SessionsOrder = 500, OfflineOrder = 600, RoamingOrder = 700;

    public string Type => "sync";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var skipped = new JsonArray();
        if (data.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in data.EnumerateObject())
            {
                if (BuiltInOptions.Contains(property.Name) || _sections.Any(s => s.Option == property.Name || s.ExtraOptions.Contains(property.Name))) continue;
                if (ReservedOptions.Contains(property.Name)) skipped.Add(property.Name);
                else throw new ImException(ImErrorCodes.InvalidParameter, $"Unknown sync option '{Truncate(property.Name)}'.");
            }
        }
        var myInfo = Flag(data, "myInfo", true);
        var wantSessions = Flag(data, "sessions", true);
        var sessionLimit = SessionPaging.Limit(JsonFields.OptionalInt(data, "sessionLimit"), "sessionLimit");
        var offline = Flag(data, "offlineMsgs", true);
        var roaming = Flag(data, "roamingMsgs", false);
        var roamingLimit = Paging.Size(JsonFields.OptionalInt(data, "roamingLimit"), DefaultRoamingLimit, "roamingLimit");
        var cursors = ReadCursors(data);

        var user = grains.GetGrain<IUserGrain>(session.UserId);
        var budget = new ReplyBudget(options.Value.MaxReplyBytes);
        var leading = new List<(int Order, PushFrame Frame)>();
        var done = new JsonObject();
        var hasMore = false;

        if (myInfo && await user.GetProfile() is { } profile) leading.Add((MyInfoOrder, new PushFrame("syncMyNameCard", NameCardJson.ToJson(profile))));

        var view = wantSessions || offline || roaming ? await user.GetLoginSyncView(wantSessions ? sessionLimit : null) : null;
        if (wantSessions)
        {
            var page = SessionJson.Page(view!.Sessions!, budget);
            hasMore |= page["has_more"]!.GetValue<bool>();
            done["sessions_cursor"] = page["cursor"]?.DeepClone();
            leading.Add((SessionsOrder, new PushFrame("sessions", page)));
        }

        if (offline || roaming)
        {
            var conversations = view!.Conversations;
            var messagesLeft = options.Value.MaxSyncMessages;
            // Where each conversation's offline part starts: the device's cursor, or else the user's read cursor.
            var from = conversations.ToDictionary(c => c.ConvId, c => Math.Min(cursors.GetValueOrDefault(c.ConvId, c.LastReadSeq), c.LastSeq), StringComparer.Ordinal);
            var newest = new JsonObject();

            if (offline)
            {
                var plan = new List<(ConversationCursor Conversation, int Take)>();
                foreach (var c in conversations.Where(c => c.LastSeq > from[c.ConvId]))
                {
                    var take = (int)Math.Min(Math.Min(MessageLimits.MaxPageSize, c.LastSeq - from[c.ConvId]), messagesLeft);
                    messagesLeft -= take;
                    plan.Add((c, take));
                }
                var fetched = await Task.WhenAll(plan.Select(p => p.Take == 0
                    ? Task.FromResult<IReadOnlyList<ChatMessage>>([])
                    : FetchAsync(() => grains.GetGrain<IConversationGrain>(p.Conversation.ConvId).GetMessagesAfter(session.UserId, from[p.Conversation.ConvId], p.Take))));
                var rows = new JsonArray();
                var more = new JsonArray();
                for (var i = 0; i < plan.Count; i++)
                {
                    var c = plan[i].Conversation;
                    var taken = budget.Take(fetched[i], out _);
                    var last = taken.Count > 0 ? taken[^1]!["seq"]!.GetValue<long>() : from[c.ConvId];
                    newest[c.ConvId] = last;
                    if (last < c.LastSeq) more.Add(c.ConvId);
                    if (taken.Count > 0) rows.Add(new JsonObject { ["conv_id"] = c.ConvId, ["messages"] = taken, ["has_more"] = last < c.LastSeq });
                }
                hasMore |= more.Count > 0;
                done["offline_more"] = more;
                leading.Add((OfflineOrder, new PushFrame("syncOfflineMsgs", new JsonObject { ["conversations"] = rows })));
            }

            if (roaming)
            {
                // The last roamingLimit messages up to where the offline part starts, newest conversations first.
                var plan = new List<(ConversationCursor Conversation, int Take)>();
                foreach (var c in conversations.Where(c => from[c.ConvId] > 0))
                {
                    var take = (int)Math.Min(Math.Min(roamingLimit, from[c.ConvId]), messagesLeft);
                    messagesLeft -= take;
                    plan.Add((c, take));
                }
                var fetched = await Task.WhenAll(plan.Select(p => p.Take == 0
                    ? Task.FromResult<IReadOnlyList<ChatMessage>>([])
                    : FetchAsync(() => grains.GetGrain<IConversationGrain>(p.Conversation.ConvId).GetMessagesBefore(session.UserId, from[p.Conversation.ConvId] + 1, p.Take))));
                var rows = new JsonArray();
                var more = new JsonArray();
                for (var i = 0; i < plan.Count; i++)
                {
                    var c = plan[i].Conversation;
                    // Fetched newest first, so a cut keeps the newest (what a session shows first); sent oldest first.
                    var taken = budget.Take(fetched[i], out _);
                    var nodes = taken.ToList();
                    taken.Clear();
                    nodes.Reverse();
                    var complete = nodes.Count == Math.Min(roamingLimit, from[c.ConvId]);
                    if (!complete) more.Add(c.ConvId);
                    if (nodes.Count > 0) rows.Add(new JsonObject { ["conv_id"] = c.ConvId, ["messages"] = new JsonArray(nodes.ToArray()), ["has_more"] = !complete });
                }
                hasMore |= more.Count > 0;
                done["roaming_more"] = more;
                leading.Add((RoamingOrder, new PushFrame("syncRoamingMsgs", new JsonObject { ["conversations"] = rows })));
            }
            done["cursors"] = newest;
        }

        // Sections after the messages, which have the first claim on the reply budget (they are what a client shows first).
        var shared = new LoginSyncCache();
        foreach (var section in _sections.Where(s => Flag(data, s.Option, s.OnByDefault)))
        {
            foreach (var frame in await section.BuildAsync(session, data, budget, done, shared, cancellationToken))
                leading.Add((section.Order, frame));
        }

        done["has_more"] = hasMore;
        done["truncated"] = budget.Truncated;
        done["skipped"] = skipped;
        done["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new FrameReply("syncdone", done) { Leading = leading.OrderBy(f => f.Order).Select(f => f.Frame).ToList() };
    }

    /// <summary>A conversation the user just left (or that was deleted) between the list and the read syncs as empty.</summary>
    private static async Task<IReadOnlyList<ChatMessage>> FetchAsync(Func<Task<IReadOnlyList<ChatMessage>>> fetch)
    {
        try
        {
            return await fetch();
        }
        catch (ImException e) when (e.Code is ImErrorCodes.NotMember or ImErrorCodes.ConversationNotFound)
        {
            return [];
        }
    }

    private static bool Flag(JsonElement data, string name, bool defaultValue) =>
        JsonFields.TryGet(data, name, out _) ? JsonFields.OptionalFlag(data, name) : defaultValue;

    private static Dictionary<string, long> ReadCursors(JsonElement data)
    {
        var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!JsonFields.TryGet(data, "cursors", out var element)) return cursors;
        if (element.ValueKind != JsonValueKind.Object) throw JsonFields.WrongType("cursors", "an object of {conv_id: last_seen_seq}");
        foreach (var property in element.EnumerateObject())
        {
            if (cursors.Count == MaxCursors) throw new ImException(ImErrorCodes.LimitExceeded, $"At most {MaxCursors} cursors per sync.");
            if (!ConversationIds.IsValid(property.Name)) throw new ImException(ImErrorCodes.InvalidParameter, "cursors has an invalid conversation id.");
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seq))
                throw JsonFields.WrongType("cursors." + property.Name, "an integer seq");
            cursors[property.Name] = Math.Max(0, seq);
        }
        return cursors;
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
