using Microsoft.Extensions.Logging;
using OrleansIm.Runtime.Catalog;
using OrleansIm.Runtime.Observers;
using OrleansIm.Runtime.Serialization;

namespace OrleansIm.Runtime.Messaging;

/// <summary>
/// Routes every message: responses to the waiting caller, requests to the local catalog (grains) or the
/// local object registry (observers). Routing failures become error responses, never silent drops.
/// A remote transport plugs in here when silos form a cluster.
/// </summary>
internal sealed class MessageCenter(string localId, CallbackTable callbacks, MessageSerializer serializer, ILogger logger)
{
    public string LocalId { get; } = localId;

    /// <summary>Null in a process that hosts no grains.</summary>
    public GrainCatalog? Catalog { get; set; }

    public LocalObjectRegistry? Objects { get; set; }

    public void Send(Message message)
    {
        if (message.Direction == MessageDirection.Response)
        {
            if (message.SenderId == LocalId) callbacks.OnResponse(message);
            else logger.LogWarning("Dropping response {Message}: its caller is not in this process.", message);
            return;
        }

        try
        {
            if (message.Target.IsObserver) RouteToObserver(message);
            else (Catalog ?? throw new InvalidOperationException("This process hosts no grains.")).Dispatch(message);
        }
        catch (Exception ex)
        {
            Reject(message, ex);
        }
    }

    public void SendResponse(Message request, ResponseStatus status, byte[] body)
    {
        if (request.Direction == MessageDirection.Request) Send(request.CreateResponse(status, body));
    }

    /// <summary>Answers a request with an exception; one-way messages are only logged.</summary>
    public void Reject(Message request, Exception exception)
    {
        // Serialized even for a local caller: errors cross the same boundary as results.
        if (request.Direction == MessageDirection.Request)
        {
            SendResponse(request, ResponseStatus.Error, serializer.SerializeException(exception));
        }
        else
        {
            logger.LogWarning(exception, "One-way message {Message} failed.", request);
        }
    }

    private void RouteToObserver(Message message)
    {
        var slash = message.Target.Key.IndexOf('/');
        var host = slash > 0 ? message.Target.Key[..slash] : "";
        if (host != LocalId || Objects is null)
            throw new ClientNotAvailableException($"Observer {message.Target} is hosted by '{host}', which is not reachable from '{LocalId}'.");
        Objects.Dispatch(message);
    }
}
