namespace OrleansIm.Runtime;

/// <summary>Identity of a grain or observer: its type name and its string key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>The grain type reserved for observer references; the key is "hostId/objectId".</summary>
    public const string ObserverType = "observer";

    public bool IsObserver => Type == ObserverType;

    public override string ToString() => $"{Type}/{Key}";

    public static GrainId Parse(string value)
    {
        var slash = value.IndexOf('/');
        if (slash <= 0) throw new FormatException($"'{value}' is not a grain id (expected type/key).");
        return new GrainId(value[..slash], value[(slash + 1)..]);
    }
}
