using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Shared page/size rules: page ≥ 1, 1 ≤ size ≤ <see cref="MessageLimits.MaxPageSize"/> (bigger is 4013).</summary>
public static class Paging
{
    public static int Page(int? page)
    {
        if (page is null) return 1;
        if (page < 1) throw new ImException(ImErrorCodes.InvalidParameter, "'page' must be 1 or more.");
        return page.Value;
    }

    public static int Size(int? size, int defaultSize, string name = "size")
    {
        if (size is null) return defaultSize;
        if (size < 1) throw new ImException(ImErrorCodes.InvalidParameter, $"'{name}' must be 1 or more.");
        if (size > MessageLimits.MaxPageSize) throw new ImException(ImErrorCodes.LimitExceeded, $"'{name}' must be at most {MessageLimits.MaxPageSize}.");
        return size.Value;
    }

    /// <summary>Seed 003 last_page: at least 1, even for an empty result.</summary>
    public static long LastPage(long total, int size) => Math.Max(1, (total + size - 1) / size);
}
