using Microsoft.Extensions.Options;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Hosting;

namespace OrleansIm.Tests.Cluster;

public interface IPlacedGrain : IGrainWithStringKey
{
    /// <summary>The id of the silo this activation lives on.</summary>
    Task<string> WhereAmI();

    /// <summary>Increments a persisted counter and says where it ran.</summary>
    Task<(int Value, string Silo)> Increment();
}

public sealed class PlacedState
{
    public int Value { get; set; }
}

public sealed class PlacedGrain(IOptions<SiloOptions> silo) : Grain<PlacedState>, IPlacedGrain
{
    public Task<string> WhereAmI() => Task.FromResult(silo.Value.SiloId);

    public async Task<(int Value, string Silo)> Increment()
    {
        State.Value++;
        await WriteStateAsync();
        return (State.Value, silo.Value.SiloId);
    }
}
