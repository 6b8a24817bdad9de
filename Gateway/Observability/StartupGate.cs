using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Observability;

/// <summary>
/// Cluster processes open their port while Orleans still starts (so probes are answered). Until the host has
/// started — the silo is Active, or the gateway's client has reached the cluster — every client request, socket
/// upgrades included, gets HTTP 503 with code 5030 (retry) instead of failing inside a grain call.
/// Health and metrics pass.
/// </summary>
public static class StartupGate
{
    /// <summary>Set in the app's properties once the gate is in its pipeline, so the socket upgrade pipeline adds it too.</summary>
    public const string InPipelineProperty = "OrleansIm.StartupGate";

    public static IApplicationBuilder UseStartupGate(this IApplicationBuilder app)
    {
        app.Properties[InPipelineProperty] = true;
        var started = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted;
        return app.Use((context, next) =>
        {
            if (started.IsCancellationRequested || HealthEndpoints.IsObservabilityPath(context.Request.Path)) return next(context);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return context.Response.WriteAsJsonAsync(new { code = ImErrorCodes.Unavailable, msg = GatewayErrors.UnavailableMessage, data = (object?)null });
        });
    }
}
