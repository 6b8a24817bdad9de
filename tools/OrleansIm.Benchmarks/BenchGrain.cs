using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace OrleansIm.Benchmarks;

public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);

    /// <summary>The address of the silo this activation lives on, to tell local from remote grains.</summary>
    Task<string> Where();
}

/// <summary>
/// Does nothing but answer: measures Orleans' own per-call cost. Random placement (not Orleans' default
/// resource-optimized placement) so that, in a cluster, activations spread evenly over the silos.
/// </summary>
[RandomPlacement]
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _calls;

    public Task<int> Ping(int value)
    {
        _calls++;
        return Task.FromResult(value + _calls - _calls);
    }

    public Task<string> Where() => Task.FromResult(ServiceProvider.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString());
}
