using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace OrleansIm.Gateway.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>Orleans' meter (activations, messages, failures, grain storage latency).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>The silo's store latencies (Grains/Diagnostics/StorageMetrics.cs; named here because gateways do not reference Grains).</summary>
    public const string GrainsMeterName = "OrleansIm.Grains";

    /// <summary>ASP.NET Core's own meters: HTTP request durations and Kestrel connections.</summary>
    private static readonly string[] AspNetCoreMeterNames = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>.NET's own runtime meter: GC heap and pauses, thread-pool queue and work items, exceptions, CPU.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>
    /// Health checks (readiness checks are added by each node with <see cref="HealthEndpoints.ReadyTag"/>) and
    /// OpenTelemetry metrics with the Prometheus exporter: the product's meters, Orleans', ASP.NET Core's and the runtime's.
    /// </summary>
    public static IServiceCollection AddOrleansImObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ObservabilityOptions>(configuration.GetSection(ObservabilityOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.AddJsonConsoleLogDefaults(configuration);
        services.AddHealthChecks();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName, GrainsMeterName, OrleansMeterName)
            .AddMeter(AspNetCoreMeterNames)
            .AddMeter(RuntimeMeterName)
            .AddPrometheusExporter());
        return services;
    }
}
