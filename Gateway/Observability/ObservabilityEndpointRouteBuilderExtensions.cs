using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.Observability;

public static class ObservabilityEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps /health/live, /health/ready and /metrics (Prometheus text format). With Observability:Port they answer
    /// only on that port. No authentication: they carry no user data, and the port can be kept private.
    /// </summary>
    public static IEndpointRouteBuilder MapOrleansImObservability(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        IEndpointConventionBuilder[] mapped =
        [
            endpoints.MapHealthChecks(HealthEndpoints.LivePath, new HealthCheckOptions
            {
                Predicate = _ => false,
                ResponseWriter = HealthEndpoints.WriteAsync,
            }),
            endpoints.MapHealthChecks(HealthEndpoints.ReadyPath, new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(HealthEndpoints.ReadyTag),
                ResponseWriter = HealthEndpoints.WriteAsync,
            }),
            endpoints.MapPrometheusScrapingEndpoint(HealthEndpoints.MetricsPath),
        ];
        if (options.Port is > 0 and var port)
        {
            foreach (var endpoint in mapped) endpoint.RequireHost($"*:{port}");
        }
        return endpoints;
    }
}
