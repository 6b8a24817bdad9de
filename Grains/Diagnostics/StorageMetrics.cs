using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansIm.Grains.Diagnostics;

/// <summary>
/// Meter <c>OrleansIm.Grains</c>: how long the product's own stores take (message history and conversation index;
/// grain state latency is Orleans' own <c>orleans-storage-*-latency</c>). Created through the host's
/// <see cref="IMeterFactory"/>, so each silo's container has its own instruments.
/// </summary>
public sealed class StorageMetrics
{
    public const string MeterName = "OrleansIm.Grains";

    /// <summary>Histogram, seconds; tags <c>store</c> (messages, conversation_index), <c>operation</c> (method name), <c>error</c> (true when it threw).</summary>
    public const string StorageDuration = "orleansim.storage.duration";

    /// <summary>Buckets for second-valued latencies, from a fast SQLite read to a slow failover (OpenTelemetry's defaults suit milliseconds).</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _duration;

    public StorageMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram(StorageDuration, unit: "s",
            description: "Duration of message store and conversation index operations.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>Times <paramref name="operation"/> of <paramref name="store"/>; records failures too, tagged error=true.</summary>
    public async Task<T> TimeAsync<T>(string store, string operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await call();
            failed = false;
            return result;
        }
        finally
        {
            Record(store, operation, started, failed);
        }
    }

    public async Task TimeAsync(string store, string operation, Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await call();
            failed = false;
        }
        finally
        {
            Record(store, operation, started, failed);
        }
    }

    private void Record(string store, string operation, long started, bool failed)
    {
        if (!_duration.Enabled) return;
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("store", store),
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("error", failed));
    }
}
