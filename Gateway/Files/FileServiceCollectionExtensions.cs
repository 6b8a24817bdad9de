using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansIm.Gateway.RateLimits;

namespace OrleansIm.Gateway.Files;

public static class FileServiceCollectionExtensions
{
    /// <summary>Registers the file endpoints' services and the store <see cref="Choose"/> picks (none for <see cref="FileStoreKind.None"/>).</summary>
    public static IServiceCollection AddOrleansImFiles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FileStorageOptions>().Bind(configuration.GetSection(FileStorageOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileStorageOptions>, FileStorageOptionsValidator>();
        var choice = Choose(configuration);
        services.AddSingleton(choice);
        services.AddHostedService<FileStoreInitializer>();
        services.AddSingleton<UploadRateLimits>();
        switch (choice.Kind)
        {
            case FileStoreKind.Directory:
                services.AddSingleton<IFileStore>(new LocalDirectoryFileStore(choice.Location!));
                break;
            case FileStoreKind.Postgres:
                var connectionString = configuration.GetConnectionString(ClusterSettings.PostgresConnectionStringName)!;
                services.AddSingleton<IFileStore>(_ => new PostgresFileStore(connectionString));
                break;
        }
        if (choice.Kind != FileStoreKind.None) services.AddSingleton<FileEndpoints>();
        return services;
    }

    /// <summary>Resolves <see cref="FileStoreKind.Auto"/>; refuses an explicit Postgres store without a connection string.</summary>
    public static FileStoreChoice Choose(IConfiguration configuration)
    {
        var options = configuration.GetSection(FileStorageOptions.SectionName).Get<FileStorageOptions>() ?? new FileStorageOptions();
        var mode = configuration["OrleansIm:Mode"];
        var standalone = string.IsNullOrWhiteSpace(mode) || string.Equals(mode, "standalone", StringComparison.OrdinalIgnoreCase);
        var postgres = configuration.GetConnectionString(ClusterSettings.PostgresConnectionStringName);
        var hasPostgres = !string.IsNullOrWhiteSpace(postgres);

        return options.Store switch
        {
            FileStoreKind.Directory => new FileStoreChoice(FileStoreKind.Directory, DirectoryOf(options, configuration), "Gateway:Files:Store"),
            FileStoreKind.Postgres when hasPostgres => new FileStoreChoice(FileStoreKind.Postgres, DescribeDatabase(postgres!), "Gateway:Files:Store"),
            FileStoreKind.Postgres => throw new InvalidOperationException(
                $"Gateway:Files:Store is Postgres: set ConnectionStrings:{ClusterSettings.PostgresConnectionStringName} (the database every gateway keeps files in)."),
            FileStoreKind.None => new FileStoreChoice(FileStoreKind.None, null, "Gateway:Files:Store is None"),
            _ when standalone => new FileStoreChoice(FileStoreKind.Directory, DirectoryOf(options, configuration), "standalone node"),
            _ when hasPostgres => new FileStoreChoice(FileStoreKind.Postgres, DescribeDatabase(postgres!), $"cluster process with ConnectionStrings:{ClusterSettings.PostgresConnectionStringName}"),
            _ => new FileStoreChoice(FileStoreKind.None, null,
                $"a cluster process without ConnectionStrings:{ClusterSettings.PostgresConnectionStringName}, and a directory of one gateway would not be seen by the others"),
        };
    }

    private static string DirectoryOf(FileStorageOptions options, IConfiguration configuration) =>
        Path.GetFullPath(!string.IsNullOrWhiteSpace(options.Directory)
            ? options.Directory
            : Path.Combine(configuration["Storage:DataDirectory"] is { Length: > 0 } data ? data : "data", "files"));

    /// <summary>Host and database only: the connection string's password never reaches a log line.</summary>
    private static string DescribeDatabase(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {builder.Host}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL";
        }
    }
}
