namespace OrleansIm.Runtime;

/// <summary>
/// An exception carrying a numeric error code. The code survives the trip across the grain-call boundary
/// when the exception type has a (int code, string message) constructor.
/// </summary>
public interface ICodedException
{
    int Code { get; }
}
