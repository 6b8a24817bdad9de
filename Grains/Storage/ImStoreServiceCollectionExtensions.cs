using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansIm.Grains.Diagnostics;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Registers the IM stores (<see cref="IMessageStore"/>, <see cref="IConversationIndex"/>, <see cref="IUserIndex"/>,
/// <see cref="IConversationMemberStore"/>).
/// </summary>
public static class ImStoreServiceCollectionExtensions
{
    public static IServiceCollection AddMemoryImStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IMessageStore, MemoryMessageStore>();
        services.AddSingleton<IConversationIndex, MemoryConversationIndex>();
        services.AddSingleton<IUserIndex, MemoryUserIndex>();
        services.AddSingleton<IConversationMemberStore, MemoryConversationMemberStore>();
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
        AddStorageMetrics(services);
        services.AddSingleton<IMessageStore>(provider => new TimedMessageStore(new SqliteMessageStore(RequireDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        services.AddSingleton<IConversationIndex>(provider => new TimedConversationIndex(new SqliteConversationIndex(RequireDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        services.AddSingleton<IUserIndex>(provider => new TimedUserIndex(new SqliteUserIndex(RequireDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        services.AddSingleton<IConversationMemberStore>(provider =>
            new TimedConversationMemberStore(new SqliteConversationMemberStore(RequireDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        return services;
    }

    /// <summary>
    /// PostgreSQL stores in the same database as grain state: needs the <see cref="PostgresDatabase"/> singleton
    /// that <c>AddPostgresGrainStorage</c> / <c>UsePostgresGrainStorage</c> registers. Tables are created (or
    /// migrated) when the stores are constructed.
    /// </summary>
    public static IServiceCollection AddPostgresImStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddStorageMetrics(services);
        services.AddSingleton<IMessageStore>(provider => new TimedMessageStore(new PostgresMessageStore(RequirePostgresDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        services.AddSingleton<IConversationIndex>(provider => new TimedConversationIndex(new PostgresConversationIndex(RequirePostgresDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        services.AddSingleton<IUserIndex>(provider => new TimedUserIndex(new PostgresUserIndex(RequirePostgresDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        services.AddSingleton<IConversationMemberStore>(provider =>
            new TimedConversationMemberStore(new PostgresConversationMemberStore(RequirePostgresDatabase(provider)), provider.GetRequiredService<StorageMetrics>()));
        return services;
    }

    /// <summary>The durable stores are timed (meter OrleansIm.Grains); the host's IMeterFactory, or one of its own outside a host.</summary>
    private static void AddStorageMetrics(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<StorageMetrics>();
    }

    private static PostgresDatabase RequirePostgresDatabase(IServiceProvider provider) =>
        provider.GetService<PostgresDatabase>() ?? throw new InvalidOperationException(
            "AddPostgresImStores needs a PostgresDatabase singleton (the grain-state database); register PostgreSQL grain " +
            "storage first with UsePostgresGrainStorage(connectionString) / AddPostgresGrainStorage(connectionString).");

    private static SqliteDatabase RequireDatabase(IServiceProvider provider) =>
        provider.GetService<SqliteDatabase>() ?? throw new InvalidOperationException(
            "AddSqliteImStores needs a SqliteDatabase singleton (the grain-state database); register SQLite grain " +
            "storage first with UseSqliteGrainStorage(path) / AddSqliteGrainStorage(path).");
}
