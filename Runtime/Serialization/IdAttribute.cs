namespace OrleansIm.Runtime;

/// <summary>Orleans-style stable member id for serialized types (informational for our JSON serializer).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class IdAttribute(uint id) : Attribute
{
    public uint Id { get; } = id;
}
