namespace OrleansIm.Runtime;

/// <summary>
/// Marks a grain interface method as one-way: the caller's task completes once the message is sent,
/// no response is ever returned, and failures are not reported to the caller.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute
{
}
