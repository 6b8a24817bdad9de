using System.Diagnostics;
using System.Globalization;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>A message's text: the sender's <see cref="Stopwatch"/> timestamp (so a receiver in this process measures
/// delivery latency), padded to the size asked for.</summary>
public static class MessageText
{
    public static string Make(long sentTimestamp, int characters)
    {
        var stamp = sentTimestamp.ToString(CultureInfo.InvariantCulture) + ":";
        return stamp.Length >= characters ? stamp : stamp + new string('x', characters - stamp.Length);
    }

    /// <summary>The timestamp in a text made by <see cref="Make"/>, or null for another text.</summary>
    public static long? SentTimestamp(string? text)
    {
        var colon = text?.IndexOf(':') ?? -1;
        return colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp) ? stamp : null;
    }
}
