using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansIm.Runtime.Hosting;

namespace OrleansIm.Runtime.Storage.Sqlite;

/// <summary>Registers SQLite grain storage: one <see cref="SqliteDatabase"/> per node, shared with other SQLite stores.</summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>Durable grain state in the SQLite file at <paramref name="databasePath"/>; replaces any other grain storage.</summary>
    public static SiloBuilder UseSqliteGrainStorage(this SiloBuilder builder, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSqliteGrainStorage(databasePath);
        return builder;
    }

    /// <summary>
    /// Registers a singleton <see cref="SqliteDatabase"/> on <paramref name="databasePath"/> and
    /// <see cref="IGrainStorage"/> as <see cref="SqliteGrainStorage"/> on it, replacing earlier registrations of
    /// either (last call wins, like <c>UseMemoryGrainStorage</c>). The container disposes the database, which
    /// commits every queued write first.
    /// </summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        services.RemoveAll<SqliteDatabase>();
        services.RemoveAll<IGrainStorage>();
        services.AddSingleton(_ => new SqliteDatabase(databasePath));
        services.AddSingleton<IGrainStorage>(provider => new SqliteGrainStorage(provider.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
