using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Admin;

namespace OrleansIm.Gateway.Observability;

public static class ObservabilityEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps /health/live, /health/ready and /metrics (Prometheus text format). With Observability:Port (on a
    /// WebApplication) they answer only on that port and that port answers nothing else — decided by the port the
    /// connection arrived on, not by the Host header, which a client chooses. No authentication: they carry no user
    /// data, and the port can be kept private. A silo's Orleans Dashboard (Admin:Dashboard), when on, moves to that port
    /// as well (still behind the admin key).
    /// </summary>
    public static IEndpointRouteBuilder MapOrleansImObservability(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        if (options.Port is > 0 and var port && endpoints is IApplicationBuilder app)
        {
            // The Orleans Dashboard of a silo (Admin:Dashboard) belongs to the private port too.
            var dashboard = endpoints.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value.Dashboard;
            var dashboardPath = dashboard.Enabled ? new PathString(dashboard.Path) : (PathString?)null;
            app.Use((context, next) =>
            {
                var privatePath = HealthEndpoints.IsObservabilityPath(context.Request.Path)
                    || (dashboardPath is { } path && context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));
                if ((context.Connection.LocalPort == port) == privatePath) return next(context);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }

        endpoints.MapHealthChecks(HealthEndpoints.LivePath, new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthEndpoints.WriteAsync,
        });
        endpoints.MapHealthChecks(HealthEndpoints.ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthEndpoints.ReadyTag),
            ResponseWriter = HealthEndpoints.WriteAsync,
        });
        endpoints.MapPrometheusScrapingEndpoint(HealthEndpoints.MetricsPath);
        return endpoints;
    }

}
