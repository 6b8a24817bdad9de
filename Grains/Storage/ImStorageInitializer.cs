using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Gets a silo's storage ready early in its start, before it joins the cluster: the grain-state tables and the stored
/// queries Orleans' ADO.NET provider reads at <see cref="ServiceLifecycleStage.ApplicationServices"/> (PostgreSQL
/// only), then the message store, the indexes and the member store, whose constructors create or migrate their tables. Done
/// lazily instead, the first grain activations on a freshly started silo would block on schema work (seen: 7.8 s
/// under load during a rolling restart). Several silos starting at once are serialized by the schema lock.
/// </summary>
public sealed class ImStorageInitializer(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ImStorageInitializer), ServiceLifecycleStage.RuntimeInitialize, InitializeAsync);

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<PostgresDatabase>() is { } postgres)
            await postgres.EnsureSchemaAsync(PostgresGrainStateSchema.Component, PostgresGrainStateSchema.Steps, cancellationToken);
        // The stores apply their schema steps when constructed (synchronously): construct them off the start-up thread.
        await Task.Run(() =>
        {
            services.GetRequiredService<IMessageStore>();
            services.GetRequiredService<IConversationIndex>();
            services.GetRequiredService<IUserIndex>();
            services.GetRequiredService<IConversationMemberStore>();
        }, cancellationToken);
    }
}
