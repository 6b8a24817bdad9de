using OrleansIm.Grains.Interfaces;

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

    /// <summary>An append batch: 1 to <see cref="IMessageStore.MaxBatch"/> messages, all of one conversation.</summary>
    public static void CheckAppendBatch(IReadOnlyList<ChatMessage> messages)
    {
        CheckBatch(messages);
        ArgumentOutOfRangeException.ThrowIfZero(messages.Count);
        if (messages.Any(m => m is null || m.ConvId != messages[0].ConvId))
            throw new ArgumentException("An append batch holds messages of one conversation.", nameof(messages));
    }
}
