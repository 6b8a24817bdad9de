using OrleansIm.Grains.Interfaces;
using OrleansIm.Runtime;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Maps failures of grain calls to the (code, message) every API answers with; one place for REST and sockets.</summary>
public static class GatewayErrors
{
    public const string UnavailableMessage = "Temporarily unavailable; retry (a send with the same client_msg_id is idempotent).";

    /// <summary>The code and message for a known failure, or null for an unexpected one (log it, answer code 1).</summary>
    public static (int Code, string Message)? Classify(Exception exception) => exception switch
    {
        ImException e => (e.Code, e.Message),
        // A coded error whose type could not be recreated: its code is still meaningful.
        GrainCallException { Code: not 0 } e => (e.Code, e.Message),
        SiloUnavailableException or TimeoutException => (ImErrorCodes.Unavailable, UnavailableMessage),
        _ => null,
    };
}
