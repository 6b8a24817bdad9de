namespace OrleansIm.Grains.Storage;

/// <summary>Argument checks shared by the message stores, so both reject the same inputs the same way.</summary>
internal static class MessageStoreArguments
{
    public static void CheckPage(int page, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
    }

    public static void CheckLimit(int limit) => ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

    public static void CheckBatch<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(items.Count, IMessageStore.MaxBatch);
    }
}
