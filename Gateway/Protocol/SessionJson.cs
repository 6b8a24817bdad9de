using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>The JSON shape of a session (session.list, the login sync's <c>sessions</c>).</summary>
public static class SessionJson
{
    /// <summary>
    /// Takes sessions in order while their last messages fit the reply's byte budget (the first always fits);
    /// <paramref name="cut"/> says whether some were left out, and then the page continues after the last one taken.
    /// </summary>
    public static JsonArray TakeRows(IReadOnlyList<SessionInfo> sessions, ReplyBudget budget, out bool cut)
    {
        var rows = new JsonArray();
        cut = false;
        foreach (var session in sessions)
        {
            JsonNode? lastMessage = null;
            if (session.LastMessage is { } message)
            {
                var taken = budget.Take([message], out cut);
                if (cut) break;
                lastMessage = taken[0]!.DeepClone();
            }
            rows.Add(new JsonObject
            {
                ["conv_id"] = session.ConvId,
                ["unread"] = session.Unread,
                ["last_read_seq"] = session.LastReadSeq,
                ["last_seq"] = session.LastSeq,
                ["update_time"] = session.UpdateTime,
                ["last_msg"] = lastMessage,
            });
        }
        return rows;
    }

    /// <summary>The page object: <c>{"sessions":[…],"has_more","cursor"}</c>.</summary>
    public static JsonObject Page(SessionPage page, ReplyBudget budget)
    {
        var rows = TakeRows(page.Sessions, budget, out var cut);
        string? cursor = page.NextCursor;
        if (cut)
        {
            var last = (JsonObject)rows[^1]!;
            cursor = SessionCursors.Format(last["update_time"]!.GetValue<long>(), last["conv_id"]!.GetValue<string>());
        }
        return new JsonObject { ["sessions"] = rows, ["has_more"] = cursor is not null, ["cursor"] = cursor };
    }
}
