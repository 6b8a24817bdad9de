namespace OrleansIm.Runtime;

/// <summary>An observer call found no such object at its host: it was deleted, or its process is gone.</summary>
public sealed class ClientNotAvailableException(string message) : Exception(message);
