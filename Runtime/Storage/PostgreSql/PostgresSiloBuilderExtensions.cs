using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansIm.Runtime.Hosting;

namespace OrleansIm.Runtime.Storage.PostgreSql;

/// <summary>Registers PostgreSQL grain storage: one <see cref="PostgresDatabase"/> per silo, shared with other PostgreSQL stores.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>Durable grain state in the PostgreSQL database at <paramref name="connectionString"/>; replaces any other grain storage.</summary>
    public static SiloBuilder UsePostgresGrainStorage(this SiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPostgresGrainStorage(connectionString);
        return builder;
    }

    /// <summary>
    /// Registers a singleton <see cref="PostgresDatabase"/> on <paramref name="connectionString"/> and
    /// <see cref="IGrainStorage"/> as <see cref="PostgresGrainStorage"/> on it, replacing earlier registrations of
    /// either (last call wins, like <c>UseMemoryGrainStorage</c>). The container disposes the database, which
    /// commits every queued write first.
    /// </summary>
    public static IServiceCollection AddPostgresGrainStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.RemoveAll<PostgresDatabase>();
        services.RemoveAll<IGrainStorage>();
        services.AddSingleton(_ => new PostgresDatabase(connectionString));
        services.AddSingleton<IGrainStorage>(provider => new PostgresGrainStorage(provider.GetRequiredService<PostgresDatabase>()));
        return services;
    }
}
