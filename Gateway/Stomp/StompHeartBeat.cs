using System.Globalization;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// STOMP heart-beat negotiation. The client's "cx,cy" means: it can send every cx ms, wants to receive every cy ms.
/// Server→client interval = max(server's sx, cy) unless either is 0; client→server = max(cx, server's sy) unless either is 0.
/// </summary>
public readonly record struct StompHeartBeat(int ServerToClientMs, int ClientToServerMs)
{
    /// <summary>Negotiates with the server's "sx,sy"; a missing header means 0,0 (no heart-beats).</summary>
    public static StompHeartBeat Negotiate(string? clientHeader, int serverSendMs, int serverReceiveMs)
    {
        var (cx, cy) = Parse(clientHeader);
        return new StompHeartBeat(
            serverSendMs == 0 || cy == 0 ? 0 : Math.Max(serverSendMs, cy),
            serverReceiveMs == 0 || cx == 0 ? 0 : Math.Max(cx, serverReceiveMs));
    }

    /// <summary>"cx,cy"; throws StompProtocolException when malformed.</summary>
    public static (int Send, int Receive) Parse(string? header)
    {
        if (string.IsNullOrEmpty(header)) return (0, 0);
        var parts = header.Split(',');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var send)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var receive))
            throw new StompProtocolException("heart-beat must be two non-negative integers 'cx,cy'.");
        return (send, receive);
    }
}
