using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>
/// The member-store behaviour of <see cref="ConversationMembersOnSiloTests"/> on a cluster silo's PostgreSQL storage
/// (Orleans' ADO.NET provider for grain state, our tables for the rest), in a schema of its own.
/// </summary>
public sealed class PostgresConversationMembersOnSiloTests : ConversationMembersOnSiloTests
{
    private PostgresTestSchema _schema = null!;

    public override async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public override async Task DisposeAsync() => await _schema.DisposeAsync();

    protected override void UseStorage(ISiloBuilder silo) => silo.UsePostgresImStorage(_schema.ConnectionString);

    protected override IGrainStorage RealGrainStorage(IServiceProvider services) =>
        new UnambiguousKeyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(ImStorageSiloBuilderExtensions.PostgresGrainStorageName));

    protected override IConversationMemberStore RealMemberStore(IServiceProvider services) =>
        new PostgresConversationMemberStore(services.GetRequiredService<PostgresDatabase>());
}
