namespace OrleansIm.Gateway.Auth;

/// <summary>What a valid token says: its user and its validity window (unix seconds).</summary>
public sealed record TokenClaims(string UserId, long IssuedAt, long ExpiresAt);
