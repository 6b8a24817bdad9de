using OrleansIm.Runtime.Invocation;

namespace OrleansIm.Runtime;

/// <summary>Helpers on grain and observer references.</summary>
public static class GrainExtensions
{
    /// <summary>The id of a grain reference, observer reference or grain instance.</summary>
    public static GrainId GetGrainId(this IAddressable addressable) => addressable switch
    {
        GrainReference reference => reference.GrainId,
        _ => throw new ArgumentException("Not a grain or observer reference. Pass references obtained from IGrainFactory.", nameof(addressable)),
    };

    /// <summary>The string key of a grain reference.</summary>
    public static string GetPrimaryKeyString(this IAddressable addressable) => addressable.GetGrainId().Key;
}
