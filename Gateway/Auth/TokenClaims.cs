namespace OrleansIm.Gateway.Auth;

/// <summary>
/// What a valid token says: its user, its validity window (unix seconds) and the user's token generation it was issued
/// in (claim <c>gen</c>; 0 for tokens from before generations). Only the user's current generation connects.
/// </summary>
public sealed record TokenClaims(string UserId, long IssuedAt, long ExpiresAt, long Generation = 0);
