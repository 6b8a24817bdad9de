using System.Text.Json.Nodes;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// What a kicked connection receives, in both dialects: seed 002's <c>kicked</c> event (reason, the kicked device, and
/// the device that took its place), then seed 003's <c>logout.kick</c> (kept as before, plus the replacing device) and
/// the close code for the reason.
/// </summary>
public static class KickJson
{
    /// <summary>Seed 002's event name.</summary>
    public const string KickedEvent = "kicked";

    /// <summary>{reason, deviceType, connId, by: {deviceType, connId} or null, time}.</summary>
    public static JsonObject Kicked(KickNotice notice, long time) => new()
    {
        ["reason"] = notice.Reason,
        ["deviceType"] = notice.DeviceType,
        ["connId"] = notice.ConnectionId,
        ["by"] = notice.ByConnectionId is null ? null : new JsonObject
        {
            ["deviceType"] = notice.ByDeviceType,
            ["connId"] = notice.ByConnectionId,
        },
        ["time"] = time,
    };

    /// <summary>logout.kick's data: {reason, device_type, conn_id, time} and, when replaced, by_device_type and by_conn_id.</summary>
    public static JsonObject LogoutKick(KickNotice notice, long time)
    {
        var data = new JsonObject
        {
            ["reason"] = notice.Reason,
            ["device_type"] = notice.DeviceType,
            ["conn_id"] = notice.ConnectionId,
            ["time"] = time,
        };
        if (notice.ByConnectionId is not null)
        {
            data["by_device_type"] = notice.ByDeviceType;
            data["by_conn_id"] = notice.ByConnectionId;
        }
        return data;
    }

    /// <summary>4403 banned, 4401 tokens revoked, 4409 replaced (and any other reason).</summary>
    public static int CloseCode(string reason) => reason switch
    {
        KickReasons.Banned => WebSocketCloseCodes.Banned,
        KickReasons.Revoked => WebSocketCloseCodes.TokenRevoked,
        KickReasons.Admin => WebSocketCloseCodes.KickedByAdmin,
        _ => WebSocketCloseCodes.Replaced,
    };
}
