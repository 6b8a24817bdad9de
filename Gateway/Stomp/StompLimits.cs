namespace OrleansIm.Gateway.Stomp;

/// <summary>Sizes the STOMP parser accepts; anything larger is a protocol error (ERROR + close).</summary>
public sealed record StompLimits(int MaxFrameBytes, int MaxHeaders, int MaxHeaderLineBytes)
{
    /// <summary>128 KiB frames fit a 64 KiB SDP (CallLimits.MaxSignalPayloadLength) plus its JSON wrapper.</summary>
    public static StompLimits Default { get; } = new(128 * 1024, 64, 8 * 1024);
}
