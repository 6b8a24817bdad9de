namespace OrleansIm.Runtime;

/// <summary>A grain call failed with an exception whose type could not be recreated on the caller's side.</summary>
public sealed class GrainCallException(string remoteType, string message, int? code = null)
    : Exception($"{remoteType}: {message}"), ICodedException
{
    public string RemoteType { get; } = remoteType;
    public int Code { get; } = code ?? 0;
}
