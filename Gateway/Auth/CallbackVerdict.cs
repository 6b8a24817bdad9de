namespace OrleansIm.Gateway.Auth;

/// <summary>What the app server said about a callback login (authType 2).</summary>
public enum CallbackVerdict
{
    /// <summary>2xx with body code 200: admit.</summary>
    Allowed,

    /// <summary>Any other answer the app server meant (a 4xx, or a 2xx with another code): seed 002's code 302.</summary>
    Refused,

    /// <summary>Down, too slow, a 5xx, a redirect, or an answer that is not the documented JSON: 503 / code 5030.</summary>
    Unavailable,
}
