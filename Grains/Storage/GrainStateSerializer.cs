using System.Text.Json;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// JSON (de)serialization of grain state, shared by every storage provider so a state written by one
/// provider reads back identically through another. Public properties only, names as declared.
/// </summary>
public static class GrainStateSerializer
{
    /// <summary>One shared, frozen options instance: STJ caches type metadata per options object.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static byte[] Serialize<T>(T state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> data) => JsonSerializer.Deserialize<T>(data, Options)!;

    /// <summary>The state a grain sees when no record exists (or after a clear).</summary>
    public static T CreateDefault<T>() => Activator.CreateInstance<T>();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General) { IncludeFields = false };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
