using System.Globalization;
using Orleans;

namespace OrleansIm.Grains.Storage;

/// <summary>What the persistent providers share: numeric ETags as strings, and filling a grain state from a read row.</summary>
internal static class GrainStateRecord
{
    /// <summary>Sets state, ETag and RecordExists from a stored row, or to the "no record" state when there is none.</summary>
    public static void ApplyRead<T>(IGrainState<T> grainState, (long ETag, byte[] Data)? record)
    {
        if (record is { } found)
        {
            grainState.State = GrainStateSerializer.Deserialize<T>(found.Data);
            grainState.ETag = FormatETag(found.ETag);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = GrainStateSerializer.CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public static string FormatETag(long etag) => etag.ToString(CultureInfo.InvariantCulture);

    /// <summary>-1 for anything that is not an ETag we issued, so it can never match a stored one.</summary>
    public static long ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}
