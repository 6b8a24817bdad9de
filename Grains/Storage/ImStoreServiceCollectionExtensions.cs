using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Runtime.Storage.Sqlite;

namespace OrleansIm.Grains.Storage;

/// <summary>Registers the IM stores (<see cref="IMessageStore"/>, <see cref="IConversationIndex"/>).</summary>
public static class ImStoreServiceCollectionExtensions
{
    public static IServiceCollection AddMemoryImStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IMessageStore, MemoryMessageStore>();
        services.AddSingleton<IConversationIndex, MemoryConversationIndex>();
        return services;
    }

    /// <summary>
    /// SQLite stores in the same database file as grain state: needs the <see cref="SqliteDatabase"/> singleton
    /// that <c>AddSqliteGrainStorage</c> / <c>UseSqliteGrainStorage</c> registers. Tables are created when the
    /// stores are constructed.
    /// </summary>
    public static IServiceCollection AddSqliteImStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IMessageStore>(provider => new SqliteMessageStore(RequireDatabase(provider)));
        services.AddSingleton<IConversationIndex>(provider => new SqliteConversationIndex(RequireDatabase(provider)));
        return services;
    }

    private static SqliteDatabase RequireDatabase(IServiceProvider provider) =>
        provider.GetService<SqliteDatabase>() ?? throw new InvalidOperationException(
            "AddSqliteImStores needs a SqliteDatabase singleton (the grain-state database); register SQLite grain " +
            "storage first with UseSqliteGrainStorage(path) / AddSqliteGrainStorage(path).");
}
