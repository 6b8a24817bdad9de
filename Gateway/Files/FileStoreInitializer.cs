using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// At start-up: says which file store is in use, and lets it create its directory or tables and sweep leftovers. A
/// PostgreSQL store that cannot reach its database yet is logged and tried again on the first file request, as a
/// gateway also waits for its silos rather than failing.
/// </summary>
public sealed class FileStoreInitializer(FileStoreChoice choice, IServiceProvider services, ILogger<FileStoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (choice.Kind == FileStoreKind.None)
        {
            logger.LogWarning("File upload is off ({Reason}): /im/file/upload and /storage/uploads answer 404. Set Gateway:Files:Store to enable it.", choice.Reason);
            return;
        }
        logger.LogInformation("Files are stored in {Kind} ({Location}; {Reason})", choice.Kind, choice.Location, choice.Reason);
        try
        {
            await services.GetRequiredService<IFileStore>().InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (choice.Kind == FileStoreKind.Postgres && e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The file store's database is not reachable yet; file requests will try again");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
