namespace OrleansIm.Runtime.Transport;

/// <summary>A message could not be handed to a peer: unreachable, queue full, connection lost, or too large.</summary>
internal sealed class TransportException(string message, Exception? inner = null) : IOException(message, inner);
