namespace OrleansIm.Grains.Users;

/// <summary>
/// A conversation activation's fan-out stream id (<see cref="IUserGrain.Deliver"/>'s <c>stream</c>): the Unix second the
/// activation started in the high bits, random low bits so two activations of one conversation differ. The start lets a
/// user activation tell, on meeting a stream mid-way, whether its missing numbers can only be in flight (the stream began
/// after this user activation did) or may have gone to an earlier activation of the user.
/// </summary>
internal static class FanOutStreamIds
{
    private const int RandomBits = 31;

    public static long New(DateTimeOffset startedAt) =>
        (Math.Max(startedAt.ToUnixTimeSeconds(), 0) << RandomBits) | Random.Shared.NextInt64(1, 1L << RandomBits);

    /// <summary>When the stream's activation started (Unix seconds; 0 for ids made otherwise).</summary>
    public static long StartedAt(long stream) => stream > 0 ? stream >> RandomBits : 0;
}
