namespace OrleansIm.Runtime;

/// <summary>
/// Names the grain type of a grain interface, as used in grain ids and storage. Default: the interface name
/// without its leading "I" and trailing "Grain", lower case (IUserGrain → "user"). Clients derive it from
/// the interface alone, so a process without grain classes (a gateway) can address grains.
/// </summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
