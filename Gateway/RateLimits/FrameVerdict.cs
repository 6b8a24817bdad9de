namespace OrleansIm.Gateway.RateLimits;

public enum FrameVerdict
{
    /// <summary>Within the limit: handle the frame.</summary>
    Accept,

    /// <summary>Over the limit: do not handle it, answer with the retry-after.</summary>
    Refuse,

    /// <summary>Over the limit and refused too often in the rejection window: close the connection (4429).</summary>
    Close,
}
