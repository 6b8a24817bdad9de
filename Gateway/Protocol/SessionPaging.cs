using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Session page size: default <see cref="SessionLimits.DefaultPageSize"/>, 1-<see cref="SessionLimits.MaxPageSize"/> (bigger is 4013).</summary>
public static class SessionPaging
{
    public static int Limit(int? limit, string name)
    {
        if (limit is null) return SessionLimits.DefaultPageSize;
        if (limit < 1) throw new ImException(ImErrorCodes.InvalidParameter, $"'{name}' must be 1 or more.");
        if (limit > SessionLimits.MaxPageSize) throw new ImException(ImErrorCodes.LimitExceeded, $"'{name}' must be at most {SessionLimits.MaxPageSize}.");
        return limit.Value;
    }
}
