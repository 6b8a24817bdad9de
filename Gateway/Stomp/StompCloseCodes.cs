namespace OrleansIm.Gateway.Stomp;

/// <summary>WebSocket close codes after a STOMP ERROR (besides the shared 1000/1001/1008/4403/4408/4409); see docs/stomp.md.</summary>
public static class StompCloseCodes
{
    /// <summary>A STOMP protocol violation (bad frame, limits, unexpected command).</summary>
    public const int ProtocolError = 4400;
    /// <summary>CONNECT refused: bad token, user mismatch, unknown or banned user, bad device type.</summary>
    public const int Unauthorized = 4401;
}
