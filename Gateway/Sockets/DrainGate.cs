using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// While the gateway drains, every client request — /ws and STOMP upgrades included — is refused with HTTP 503,
/// code 5030 and <c>Connection: close</c>, so the client retries through the load balancer (which has stopped
/// sending here: readiness fails too). Health and metrics pass.
/// </summary>
public static class DrainGate
{
    public static IApplicationBuilder UseDrainGate(this IApplicationBuilder app)
    {
        var connections = app.ApplicationServices.GetRequiredService<ConnectionManager>();
        return app.Use((context, next) =>
        {
            if (!connections.IsDraining || HealthEndpoints.IsObservabilityPath(context.Request.Path)) return next(context);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.Headers.Connection = "close";
            return context.Response.WriteAsJsonAsync(new { code = ImErrorCodes.Unavailable, msg = GatewayErrors.DrainingMessage, data = (object?)null });
        });
    }
}
