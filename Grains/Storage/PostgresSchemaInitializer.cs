using Orleans.Runtime;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Creates or migrates the grain-state tables and stored queries early in the silo's start, before Orleans' ADO.NET
/// provider reads its queries (at <see cref="ServiceLifecycleStage.ApplicationServices"/>). Several silos starting at
/// once are serialized by <see cref="PostgresDatabase"/>'s advisory lock.
/// </summary>
public sealed class PostgresSchemaInitializer(PostgresDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInitializer), ServiceLifecycleStage.RuntimeInitialize,
            cancellationToken => database.EnsureSchemaAsync(PostgresGrainStateSchema.Component, PostgresGrainStateSchema.Steps, cancellationToken));
}
