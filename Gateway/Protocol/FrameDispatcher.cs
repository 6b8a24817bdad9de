using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Observability;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Routes a raw text frame to its handler and produces exactly one reply frame (ack or error), preceded by the
/// handler's leading frames if it has any (<see cref="FrameReply.Leading"/>). Never throws:
/// business codes from grains pass through, anything unexpected becomes code 1 and is logged.
/// </summary>
public sealed class FrameDispatcher(IEnumerable<IFrameHandler> handlers, GatewayMetrics metrics, ILogger<FrameDispatcher> logger)
{
    private readonly Dictionary<string, IFrameHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<string> FrameTypes => _handlers.Keys;

    /// <summary>The frames to send, in order; the last one is the reply.</summary>
    public async Task<IReadOnlyList<byte[]>> DispatchAsync(ClientSession session, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        metrics.FrameReceived(GatewayMetrics.Json);
        var frames = await HandleAsync(session, utf8, cancellationToken);
        for (var i = 0; i < frames.Count; i++) metrics.FrameSent(GatewayMetrics.Json);
        return frames;
    }

    private async Task<IReadOnlyList<byte[]>> HandleAsync(ClientSession session, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        IncomingFrame frame;
        try
        {
            frame = FrameParser.Parse(utf8);
        }
        catch (FrameParseException e)
        {
            return [ServerFrames.ErrorFrame(e.Id, e.Code, e.Message)];
        }

        if (!_handlers.TryGetValue(frame.Type, out var handler))
            return [ServerFrames.ErrorFrame(frame.Id, ImErrorCodes.UnknownFrameType, $"Unknown frame type '{Truncate(frame.Type)}'.")];

        try
        {
            var reply = await handler.HandleAsync(session, frame.Data, cancellationToken);
            if (reply.Leading.Count == 0) return [ServerFrames.Reply(reply, frame.Id)];
            return [.. reply.Leading.Select(f => ServerFrames.Push(f.Type, f.Data)), ServerFrames.Reply(reply, frame.Id)];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RateLimitedException e)
        {
            return [ServerFrames.ErrorFrame(frame.Id, e.Code, e.Message, FrameAdmission.RetryAfterMilliseconds(e.RetryAfter))];
        }
        catch (Exception e) when (GatewayErrors.Classify(e) is { } known)
        {
            return [ServerFrames.ErrorFrame(frame.Id, known.Code, known.Message)];
        }
        catch (Exception e)
        {
            logger.LogError(e, "Frame {Type} from user {UserId} ({ConnectionId}) failed", frame.Type, session.UserId, session.ConnectionId);
            return [ServerFrames.ErrorFrame(frame.Id, ImErrorCodes.Internal, "Internal server error.")];
        }
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
