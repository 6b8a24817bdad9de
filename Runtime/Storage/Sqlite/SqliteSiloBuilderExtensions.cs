using Microsoft.Extensions.DependencyInjection;

namespace OrleansIm.Runtime.Storage.Sqlite;

/// <summary>Registers SQLite grain storage: one <see cref="SqliteDatabase"/> per node, shared with other SQLite stores.</summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="SqliteDatabase"/> on <paramref name="databasePath"/> and
    /// <see cref="IGrainStorage"/> as <see cref="SqliteGrainStorage"/> on it. The container disposes the
    /// database (draining queued writes) when it is disposed.
    /// </summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        services.AddSingleton(_ => new SqliteDatabase(databasePath));
        services.AddSingleton<IGrainStorage>(provider => new SqliteGrainStorage(provider.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
