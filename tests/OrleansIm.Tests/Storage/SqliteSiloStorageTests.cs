using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Runtime.Storage;
using OrleansIm.Runtime.Storage.Sqlite;
using OrleansIm.Runtime.Testing;
using OrleansIm.Tests.Runtime;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>UseSqliteGrainStorage end to end: a grain's written state survives stopping and restarting the silo.</summary>
public sealed class SqliteSiloStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private Task<TestCluster> StartAsync() => TestCluster.StartAsync(
        silo => silo.AddGrains(typeof(CounterGrain).Assembly).UseSqliteGrainStorage(Path.Combine(_directory, "silo.db")),
        services => services.AddSingleton<LifecycleLog>().AddSingleton(new PublisherSettings()));

    [Fact]
    public async Task Grain_state_survives_a_silo_restart()
    {
        await using (var cluster = await StartAsync())
        {
            Assert.IsType<SqliteGrainStorage>(cluster.Services.GetRequiredService<IGrainStorage>());
            var counter = cluster.GrainFactory.GetGrain<ICounterGrain>("durable");
            await counter.IncrementAndWrite();
            Assert.Equal(2, await counter.IncrementAndWrite());
        }

        await using (var cluster = await StartAsync())
        {
            var counter = cluster.GrainFactory.GetGrain<ICounterGrain>("durable");
            Assert.Equal(2, await counter.Get());
            Assert.Equal(3, await counter.IncrementAndWrite());
        }
    }
}
