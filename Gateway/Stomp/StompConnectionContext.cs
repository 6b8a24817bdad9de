using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Sockets;
using Orleans;

namespace OrleansIm.Gateway.Stomp;

/// <summary>What every STOMP connection needs from the gateway's services.</summary>
public sealed record StompConnectionContext(
    ClientAuthenticator Authenticator,
    IGrainFactory Grains,
    ConnectionManager Connections,
    StompApplication Application,
    GatewayOptions Options,
    RateLimitOptions RateLimits,
    ILogger<StompConnection> ConnectionLogger,
    GatewayMetrics Metrics,
    GatewayIdentity Gateway,
    ConnectionTicker Ticker);
