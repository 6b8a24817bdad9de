using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Orleans.Storage;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class StoreRegistrationTests
{
    [Fact]
    public async Task Memory_im_stores_resolve_as_singletons()
    {
        await using var provider = new ServiceCollection().AddMemoryImStores().BuildServiceProvider();

        Assert.IsType<MemoryMessageStore>(provider.GetRequiredService<IMessageStore>());
        Assert.IsType<MemoryConversationIndex>(provider.GetRequiredService<IConversationIndex>());
        Assert.IsType<MemoryUserIndex>(provider.GetRequiredService<IUserIndex>());
        Assert.IsType<MemoryConversationMemberStore>(provider.GetRequiredService<IConversationMemberStore>());
        Assert.Same(provider.GetRequiredService<IMessageStore>(), provider.GetRequiredService<IMessageStore>());
    }

    [Fact]
    public async Task Sqlite_im_stores_without_a_database_fail_clearly_at_resolve_time()
    {
        await using var provider = new ServiceCollection().AddSqliteImStores().BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMessageStore>());
        Assert.Contains("SqliteDatabase", ex.Message);
    }

    [Fact]
    public async Task Sqlite_grain_storage_and_im_stores_share_one_database_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(directory, "node.db");
            using (var host = BuildSilo(silo => silo.UseSqliteImStorage(path)))
            {
                var provider = host.Services;
                Assert.IsType<SqliteGrainStorage>(provider.GetRequiredService<IGrainStorage>());
                Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("Default"));
                Assert.Equal(Path.GetFullPath(path), provider.GetRequiredService<SqliteDatabase>().DatabasePath);
                var store = Assert.IsType<SqliteMessageStore>(Assert.IsType<TimedMessageStore>(provider.GetRequiredService<IMessageStore>()).Inner);
                Assert.IsType<SqliteConversationIndex>(Assert.IsType<TimedConversationIndex>(provider.GetRequiredService<IConversationIndex>()).Inner);
                Assert.IsType<SqliteUserIndex>(Assert.IsType<TimedUserIndex>(provider.GetRequiredService<IUserIndex>()).Inner);
                Assert.IsType<SqliteConversationMemberStore>(
                    Assert.IsType<TimedConversationMemberStore>(provider.GetRequiredService<IConversationMemberStore>()).Inner);
                await store.AppendAsync(new("conv", 1, "m1", "alice", -1, "hi", null, null, 1, false, 0, false, null, null));
            }

            // Disposing the host disposed the database; the message is in the file.
            await using var reopened = new SqliteDatabase(path);
            Assert.Equal(1, await new SqliteMessageStore(reopened).CountAsync("conv"));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_im_stores_without_a_database_fail_clearly_at_resolve_time()
    {
        await using var provider = new ServiceCollection().AddPostgresImStores().BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IConversationIndex>());
        Assert.Contains("PostgresDatabase", ex.Message);
    }

    [Fact]
    public async Task Postgres_grain_storage_is_the_wrapped_ado_net_provider_and_shares_its_database_with_the_im_stores()
    {
        var schema = await PostgresTestSchema.CreateAsync();
        try
        {
            using (var host = BuildSilo(silo => silo.UsePostgresImStorage(schema.ConnectionString)))
            {
                var provider = host.Services;
                Assert.IsType<UnambiguousKeyGrainStorage>(provider.GetRequiredService<IGrainStorage>());
                Assert.IsType<UnambiguousKeyGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("Default"));
                Assert.IsType<AdoNetGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>(ImStorageSiloBuilderExtensions.PostgresGrainStorageName));
                var store = Assert.IsType<PostgresMessageStore>(Assert.IsType<TimedMessageStore>(provider.GetRequiredService<IMessageStore>()).Inner);
                Assert.IsType<PostgresConversationIndex>(Assert.IsType<TimedConversationIndex>(provider.GetRequiredService<IConversationIndex>()).Inner);
                Assert.IsType<PostgresUserIndex>(Assert.IsType<TimedUserIndex>(provider.GetRequiredService<IUserIndex>()).Inner);
                Assert.IsType<PostgresConversationMemberStore>(
                    Assert.IsType<TimedConversationMemberStore>(provider.GetRequiredService<IConversationMemberStore>()).Inner);
                await store.AppendAsync(new("conv", 1, "m1", "alice", -1, "hi", null, null, 1, false, 0, false, null, null));
            }

            // Disposing the host disposed the database after committing; a new one reads the message.
            Assert.Equal(1, await new PostgresMessageStore(schema.Database).CountAsync("conv"));
        }
        finally
        {
            await schema.DisposeAsync();
        }
    }

    /// <summary>A silo host, built but not started: enough to see what its registrations resolve to.</summary>
    private static IHost BuildSilo(Action<ISiloBuilder> storage)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: 22222, gatewayPort: 0); // never started: no port is bound
            storage(silo);
        });
        return builder.Build();
    }
}
