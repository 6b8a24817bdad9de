namespace OrleansIm.Gateway.Stomp;

/// <summary>STOMP 1.2 commands.</summary>
public static class StompCommands
{
    // Client frames.
    public const string Connect = "CONNECT";
    public const string Stomp = "STOMP";
    public const string Send = "SEND";
    public const string Subscribe = "SUBSCRIBE";
    public const string Unsubscribe = "UNSUBSCRIBE";
    public const string Ack = "ACK";
    public const string Nack = "NACK";
    public const string Begin = "BEGIN";
    public const string Commit = "COMMIT";
    public const string Abort = "ABORT";
    public const string Disconnect = "DISCONNECT";

    // Server frames.
    public const string Connected = "CONNECTED";
    public const string Message = "MESSAGE";
    public const string Receipt = "RECEIPT";
    public const string Error = "ERROR";

    /// <summary>CONNECT and CONNECTED headers are not escaped (STOMP 1.2 §Value Encoding), for 1.0 compatibility.</summary>
    public static bool IsUnescaped(string command) => command is Connect or Connected;
}
