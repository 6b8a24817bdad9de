namespace OrleansIm.Runtime;

/// <summary>Names a grain class's type in grain ids and storage (default: class name without "Grain", lower case).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
