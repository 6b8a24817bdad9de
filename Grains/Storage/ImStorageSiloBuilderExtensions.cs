using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Where a silo keeps everything, configured in one place per node type: grain state (the default Orleans grain
/// storage), message history and the conversation index.
/// </summary>
public static class ImStorageSiloBuilderExtensions
{
    /// <summary>
    /// The standalone node: one SQLite file holds grain state (<see cref="SqliteGrainStorage"/>, our own Orleans
    /// provider), messages and the index, all written through one <see cref="SqliteDatabase"/> with group commit.
    /// </summary>
    public static ISiloBuilder UseSqliteImStorage(this ISiloBuilder silo, string databasePath)
    {
        silo.Services.AddSingleton(_ => new SqliteDatabase(databasePath));
        silo.Services.AddSingleton<SqliteGrainStorage>();
        // Orleans finds the default provider both ways: keyed by "Default", and as the unkeyed IGrainStorage.
        silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (services, _) => services.GetRequiredService<SqliteGrainStorage>());
        silo.Services.AddSingleton<IGrainStorage>(services => services.GetRequiredService<SqliteGrainStorage>());
        silo.Services.AddSqliteImStores();
        return silo;
    }

    /// <summary>
    /// A cluster silo: grain state through Orleans' ADO.NET provider on PostgreSQL (schema and queries are ours,
    /// <see cref="PostgresGrainStateSchema"/>, created or migrated before the provider starts), messages and the
    /// index in the same database through <see cref="PostgresDatabase"/>.
    /// </summary>
    public static ISiloBuilder UsePostgresImStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton(_ => new PostgresDatabase(connectionString));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaInitializer>();
        silo.AddAdoNetGrainStorageAsDefault(options =>
        {
            options.Invariant = PostgresGrainStateSchema.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.AddPostgresImStores();
        return silo;
    }
}
