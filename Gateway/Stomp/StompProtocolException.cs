namespace OrleansIm.Gateway.Stomp;

/// <summary>A STOMP protocol violation: the server answers with an ERROR frame and closes the connection.</summary>
public sealed class StompProtocolException(string message) : Exception(message);
