using Microsoft.AspNetCore.Http;

namespace OrleansIm.Gateway.Upgrades;

/// <summary>
/// The request pipeline a direct upgrade runs (start-up and drain gates, rate limiter, the socket endpoints): built with
/// the app's other routes (<see cref="GatewayEndpointRouteBuilderExtensions.MapOrleansImGateway"/>) and read by the
/// connection middleware, which Kestrel configures before the app exists. Until it is set, upgrades take the HTTP/1 path.
/// </summary>
public sealed class SocketUpgradePipeline
{
    private RequestDelegate? _pipeline;

    public RequestDelegate? Pipeline => Volatile.Read(ref _pipeline);

    public void Set(RequestDelegate pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (Interlocked.CompareExchange(ref _pipeline, pipeline, null) is not null)
            throw new InvalidOperationException("The socket upgrade pipeline is already set.");
    }
}
