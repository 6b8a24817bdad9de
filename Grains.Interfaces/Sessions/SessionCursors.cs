namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// The session list's paging cursor: the position of the last session of a page in the list's order (update time
/// descending, then conv id), written <c>"&lt;update_time&gt;:&lt;conv_id&gt;"</c>. The next page starts after it.
/// </summary>
public static class SessionCursors
{
    public static string Format(long updateTime, string convId) => $"{updateTime}:{convId}";

    public static bool TryParse(string? cursor, out long updateTime, out string convId)
    {
        updateTime = 0;
        convId = "";
        if (cursor is null) return false;
        var colon = cursor.IndexOf(':');
        if (colon <= 0 || !long.TryParse(cursor.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out updateTime))
            return false;
        convId = cursor[(colon + 1)..];
        return ConversationIds.IsValid(convId);
    }

    /// <summary>Whether (updateTime, convId) comes after the cursor's position in the list's order.</summary>
    public static bool IsAfter(long updateTime, string convId, long cursorTime, string cursorConvId) =>
        updateTime < cursorTime || (updateTime == cursorTime && string.CompareOrdinal(convId, cursorConvId) > 0);
}
