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
    /// <summary>The name of Orleans' ADO.NET provider instance that the default grain storage wraps in a cluster.</summary>
    public const string PostgresGrainStorageName = "orleansim-postgres";

    /// <summary>
    /// The standalone node: one SQLite file holds grain state (<see cref="SqliteGrainStorage"/>, our own Orleans
    /// provider), messages and the index, all written through one <see cref="SqliteDatabase"/> with group commit.
    /// </summary>
    public static ISiloBuilder UseSqliteImStorage(this ISiloBuilder silo, string databasePath)
    {
        silo.Services.AddSingleton(_ => new SqliteDatabase(databasePath));
        silo.Services.AddSingleton<SqliteGrainStorage>();
        AddDefaultGrainStorage(silo.Services, services => services.GetRequiredService<SqliteGrainStorage>());
        silo.Services.AddSqliteImStores();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ImStorageInitializer>();
        return silo;
    }

    /// <summary>
    /// A cluster silo: grain state through Orleans' ADO.NET provider on PostgreSQL (schema and queries are ours,
    /// <see cref="PostgresGrainStateSchema"/>, created or migrated by <see cref="ImStorageInitializer"/> before the provider starts), messages and the
    /// index in the same database through <see cref="PostgresDatabase"/>.
    /// </summary>
    public static ISiloBuilder UsePostgresImStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton(_ => new PostgresDatabase(connectionString));
        silo.AddAdoNetGrainStorage(PostgresGrainStorageName, options =>
        {
            options.Invariant = PostgresGrainStateSchema.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        AddDefaultGrainStorage(silo.Services, services =>
            new UnambiguousKeyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(PostgresGrainStorageName)));
        silo.Services.AddPostgresImStores();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ImStorageInitializer>();
        return silo;
    }

    /// <summary>Orleans finds the default provider both ways: keyed by "Default", and as the unkeyed IGrainStorage.</summary>
    private static void AddDefaultGrainStorage(IServiceCollection services, Func<IServiceProvider, IGrainStorage> factory)
    {
        services.AddKeyedSingleton(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (provider, _) => factory(provider));
        services.AddSingleton(provider => provider.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
    }
}
