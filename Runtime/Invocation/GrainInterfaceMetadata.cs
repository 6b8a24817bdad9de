using System.Reflection;

namespace OrleansIm.Runtime.Invocation;

/// <summary>
/// A grain or observer interface: its grain type name and its methods in a stable order
/// (so a method index means the same method on every node running the same interfaces).
/// </summary>
internal sealed class GrainInterfaceMetadata
{
    private readonly Dictionary<MethodInfo, GrainMethod> _byMethodInfo;

    public GrainInterfaceMetadata(Type interfaceType)
    {
        if (!interfaceType.IsInterface || !typeof(IAddressable).IsAssignableFrom(interfaceType))
            throw new ArgumentException($"{interfaceType} is not a grain or observer interface.");
        InterfaceType = interfaceType;
        Name = interfaceType.FullName ?? interfaceType.Name;
        GrainType = typeof(IGrainObserver).IsAssignableFrom(interfaceType) ? GrainId.ObserverType : GrainTypeName(interfaceType);

        var methods = new[] { interfaceType }.Concat(interfaceType.GetInterfaces())
            .SelectMany(i => i.GetMethods())
            .OrderBy(m => m.DeclaringType!.FullName, StringComparer.Ordinal)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ThenBy(m => string.Join(",", m.GetParameters().Select(p => p.ParameterType.FullName)), StringComparer.Ordinal)
            .ToArray();
        Methods = methods.Select((m, i) => GrainMethod.Create(interfaceType, m, i)).ToArray();
        _byMethodInfo = Methods.ToDictionary(m => m.Method);
    }

    public Type InterfaceType { get; }

    /// <summary>Interface full name, carried in messages.</summary>
    public string Name { get; }

    /// <summary>The grain type of ids built from this interface ("observer" for observers).</summary>
    public string GrainType { get; }

    public IReadOnlyList<GrainMethod> Methods { get; }

    public GrainMethod GetMethod(MethodInfo method) =>
        _byMethodInfo.TryGetValue(method, out var m) ? m : throw new InvalidOperationException($"{method.Name} is not a method of {Name}.");

    public GrainMethod GetMethod(int index) =>
        (uint)index < (uint)Methods.Count ? Methods[index] : throw new InvalidOperationException($"{Name} has no method #{index}.");

    public static string GrainTypeName(Type interfaceType)
    {
        var attribute = interfaceType.GetCustomAttribute<GrainTypeAttribute>();
        if (attribute is not null) return attribute.Name;
        var name = interfaceType.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1])) name = name[1..];
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > 5) name = name[..^5];
        return name.ToLowerInvariant();
    }
}
