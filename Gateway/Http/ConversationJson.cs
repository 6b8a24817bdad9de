using System.Globalization;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>Seed 003 conversation row: conv_creater_id keeps the seed's spelling; ctime/mtime are "yyyy-MM-dd HH:mm:ss" UTC.</summary>
public static class ConversationJson
{
    public static JsonObject ToRow(ConversationInfo c) => new()
    {
        ["conv_id"] = c.ConvId,
        ["conv_type"] = c.ConvType,
        ["client_num"] = c.MemberCount,
        ["app_id"] = c.AppId,
        ["conv_extend"] = MessageJson.RawToNode(c.ConvExtend),
        ["conv_creater_id"] = c.CreatorId,
        ["ctime"] = FormatTime(c.CTime),
        ["mtime"] = c.MTime is { } m ? FormatTime(m) : null,
    };

    public static string FormatTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
