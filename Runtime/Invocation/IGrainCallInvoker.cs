namespace OrleansIm.Runtime.Invocation;

/// <summary>Turns a proxy call into a message and returns the eventual (deserialized) result.</summary>
internal interface IGrainCallInvoker
{
    Task<object?> InvokeAsync(GrainId target, GrainInterfaceMetadata grainInterface, GrainMethod method, object?[] arguments);
}
