using OrleansIm.Runtime;

namespace OrleansIm.Benchmarks;

public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

/// <summary>Does nothing but answer: measures the runtime's own per-call cost.</summary>
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _calls;

    public Task<int> Ping(int value)
    {
        _calls++;
        return Task.FromResult(value + _calls - _calls);
    }
}
