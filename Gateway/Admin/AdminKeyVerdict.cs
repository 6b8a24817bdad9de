namespace OrleansIm.Gateway.Admin;

/// <summary>What <see cref="AdminKeyGate"/> decided about one request.</summary>
public enum AdminKeyVerdict
{
    /// <summary>The right admin key.</summary>
    Accepted,
    /// <summary>No admin key is configured on this node.</summary>
    Disabled,
    /// <summary>Missing or wrong key (counted against the client's address).</summary>
    Refused,
    /// <summary>The client's address used up its failures (Gateway:RateLimits:AdminKeyFailuresPerAddress): not even compared.</summary>
    Locked,
}
