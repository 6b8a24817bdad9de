namespace OrleansIm.LoadTest.Client;

/// <summary>The socket closed or failed before the reply to a request came.</summary>
/// <param name="SendOrder">When the request went on the wire, or -1 if it never did.</param>
public sealed class ConnectionLostException(string message, long sendOrder) : Exception(message)
{
    public long SendOrder { get; } = sendOrder;
}
