using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>A frame that could not be parsed; carries the id when it could still be read so the error can be correlated.</summary>
public sealed class FrameParseException(int code, string message, JsonNode? id) : Exception(message)
{
    public int Code { get; } = code;

    public JsonNode? Id { get; } = id;

    public static FrameParseException From(ImException e, JsonNode? id) => new(e.Code, e.Message, id);
}
