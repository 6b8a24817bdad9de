using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>The member-store behaviour of <see cref="ConversationMembersOnSiloTests"/> on the standalone node's SQLite file.</summary>
public sealed class SqliteConversationMembersOnSiloTests : ConversationMembersOnSiloTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));

    public override Task DisposeAsync()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    protected override void UseStorage(ISiloBuilder silo) => silo.UseSqliteImStorage(Path.Combine(_directory, "silo.db"));

    protected override IGrainStorage RealGrainStorage(IServiceProvider services) => services.GetRequiredService<SqliteGrainStorage>();

    protected override IConversationMemberStore RealMemberStore(IServiceProvider services) =>
        new SqliteConversationMemberStore(services.GetRequiredService<SqliteDatabase>());
}
