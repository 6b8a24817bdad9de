namespace OrleansIm.Runtime;

/// <summary>
/// Marker for grain interfaces. Every method of a grain interface returns <see cref="Task"/> or
/// <see cref="Task{TResult}"/>; arguments and results cross a serialization boundary on every call.
/// </summary>
public interface IGrain : IAddressable
{
}
