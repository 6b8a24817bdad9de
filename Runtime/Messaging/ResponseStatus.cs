namespace OrleansIm.Runtime.Messaging;

internal enum ResponseStatus : byte
{
    /// <summary>Body is the serialized result.</summary>
    Success = 0,
    /// <summary>Body is a serialized exception thrown by the callee.</summary>
    Error = 1,
}
