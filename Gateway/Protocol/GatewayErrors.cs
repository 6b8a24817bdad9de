using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Maps failures of grain calls to the (code, message) every API answers with; one place for REST and sockets.</summary>
public static class GatewayErrors
{
    public const string UnavailableMessage = "Temporarily unavailable; retry (a send with the same client_msg_id is idempotent).";

    /// <summary>Code 5030's message for a frame or request that reached a draining gateway: it was not handled.</summary>
    public const string DrainingMessage = "This gateway is shutting down; reconnect (to another gateway) and resend: this was not handled.";

    /// <summary>The code and message for a known failure, or null for an unexpected one (log it, answer code 1).</summary>
    public static (int Code, string Message)? Classify(Exception exception) => exception switch
    {
        ImException e => (e.Code, e.Message),
        RateLimitedException e => (e.Code, e.Message),
        // The cluster could not take or answer the call (a silo died or is leaving, no silo reachable yet, the
        // response timed out, or the call expired before Orleans could place it while a silo handed its grains
        // over — an OperationCanceledException; callers rethrow their own cancellations before asking here):
        // the client may retry, and a resend with the same client_msg_id is idempotent.
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
            or ConnectionFailedException or ClientNotAvailableException or TimeoutException or OperationCanceledException
            => (ImErrorCodes.Unavailable, UnavailableMessage),
        _ => null,
    };
}
