namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// Codes on /user/queue/errors: seed 001 uses HTTP statuses below 1000 and business codes above (1001 busy).
/// Codes from grains (call 400/403/404/409/1001, 5030 unavailable) pass through unchanged.
/// </summary>
public static class StompErrorCodes
{
    public const int BadRequest = 400;
    /// <summary>SEND to a destination nobody serves.</summary>
    public const int NotFound = 404;
    /// <summary>A frame over the connection's frame rate limit; the body carries retryAfterMs.</summary>
    public const int TooManyRequests = 429;
    public const int Internal = 500;
}
