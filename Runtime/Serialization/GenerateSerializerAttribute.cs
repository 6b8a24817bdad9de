namespace OrleansIm.Runtime;

/// <summary>
/// Marks a type that crosses the grain-call boundary. Our serializer is System.Text.Json and needs no
/// generated code; the attribute keeps types declared the way Orleans expects them.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum)]
public sealed class GenerateSerializerAttribute : Attribute
{
}
