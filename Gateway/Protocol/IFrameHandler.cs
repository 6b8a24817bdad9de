using System.Text.Json;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Handles one request frame type. Throw ImException for business errors; the dispatcher turns them into error frames.</summary>
public interface IFrameHandler
{
    string Type { get; }

    Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken);
}
