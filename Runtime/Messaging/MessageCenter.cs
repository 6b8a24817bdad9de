using Microsoft.Extensions.Logging;
using OrleansIm.Runtime.Catalog;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Observers;
using OrleansIm.Runtime.Serialization;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Runtime.Messaging;

/// <summary>
/// Routes every message. Responses go to the waiting caller (here, or over the connection of the process
/// that asked). Observer calls go to the process hosting the object. Grain calls go to the owner on the
/// placement ring: the local catalog if that is this silo, otherwise over the transport; a silo that
/// receives a call it does not own (views differ for a moment) forwards it, at most MaxForwardCount times.
/// Routing failures become error responses, never silent drops.
/// </summary>
internal sealed class MessageCenter(string localId, CallbackTable callbacks, MessageSerializer serializer, ILogger logger)
{
    public string LocalId { get; } = localId;

    /// <summary>Null in a process that hosts no grains.</summary>
    public GrainCatalog? Catalog { get; set; }

    public LocalObjectRegistry? Objects { get; set; }

    /// <summary>Null for a standalone silo: every grain is local.</summary>
    public ClusterRouter? Cluster { get; set; }

    /// <summary>
    /// Routes a message, whether it originates here or arrived over the transport: the rules are the same
    /// (a response that arrives here is either ours, or one we forwarded and relay to its caller).
    /// </summary>
    public void Send(Message message)
    {
        if (message.Direction == MessageDirection.Response)
        {
            SendResponseMessage(message);
            return;
        }
        try
        {
            Route(message);
        }
        catch (Exception ex)
        {
            Reject(message, ex);
        }
    }

    public void SendResponse(Message request, ResponseStatus status, byte[] body)
    {
        if (request.Direction == MessageDirection.Request) SendResponseMessage(request.CreateResponse(status, body));
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

    /// <summary>The transport could not deliver a message it had queued: fail its caller now.</summary>
    public void OnSendFailed(Message message, Exception exception)
    {
        if (message.Direction == MessageDirection.Response)
        {
            logger.LogWarning(exception, "Could not deliver response {Message}; its caller will time out.", message);
            return;
        }
        Reject(message, new SiloUnavailableException($"Could not deliver {message}: {exception.Message}"));
    }

    /// <summary>A peer's connection died: calls waiting on it will never be answered.</summary>
    public void OnConnectionLost(string processId)
    {
        if (Cluster is { } cluster && cluster.IsLeavingGracefully(processId))
        {
            // It forwarded what it could not serve; the new owners answer us directly. Fail only what is left after a
            // grace — and only the calls waiting now: a restarted silo may reuse the id, and its calls are not lost.
            var waiting = callbacks.PendingCallsTo(processId).ToHashSet();
            _ = Task.Delay(cluster.LeavingSiloCallGrace).ContinueWith(_ => FailCallsTo(processId, waiting), TaskScheduler.Default);
            return;
        }
        FailCallsTo(processId, null);
    }

    private void FailCallsTo(string processId, IReadOnlyCollection<long>? only)
    {
        var failed = callbacks.FailCallsTo(processId, only);
        if (failed > 0) logger.LogWarning("Connection to {Peer} lost; failed {Count} pending calls.", processId, failed);
    }

    private void SendResponseMessage(Message response)
    {
        if (response.SenderId == LocalId)
        {
            callbacks.OnResponse(response);
        }
        else if (Cluster is null || !Cluster.Connections.TrySendToProcess(response.SenderId, response))
        {
            // No connection to the caller (e.g. a gateway that has not connected to this new silo yet): hand the
            // response to the silo that forwarded the call, which has one; or reach a silo caller by its address.
            if (Cluster is not null && response.ForwardedBy.Length > 0 && response.ForwardedBy != LocalId
                && Cluster.Connections.TrySendToProcess(response.ForwardedBy, response with { ForwardedBy = "" }))
                return;
            if (Cluster?.AddressOfProcess(response.SenderId) is { } silo)
            {
                try
                {
                    Cluster.SendTo(silo, response);
                    return;
                }
                catch (TransportException ex)
                {
                    logger.LogWarning(ex, "Could not open a connection to {Silo} for a response.", silo);
                }
            }
            logger.LogWarning("Dropping response {Message}: no connection to its caller '{Caller}'.", response, response.SenderId);
        }
    }

    private void Route(Message message)
    {
        var target = message.Target;
        if (target.IsObserver)
        {
            RouteToObserver(message);
            return;
        }
        if (target.Type == ISiloControl.GrainTypeName)
        {
            RouteToSiloControl(message);
            return;
        }
        if (Cluster is null)
        {
            LocalCatalog.Dispatch(message);
            return;
        }

        var owner = Cluster.GetOwner(target);
        var arrivedFromElsewhere = message.SenderId != LocalId || message.ForwardCount > 0;
        if (Cluster.IsSelf(owner)
            || (Catalog is not null && arrivedFromElsewhere && message.ForwardCount >= Cluster.MaxForwardCount))
        {
            // Ours — or forwarded too often while views settle: serve it here; ETags and unique seqs keep a
            // brief duplicate activation from losing or duplicating a write.
            LocalCatalog.Dispatch(message);
            return;
        }
        var outgoing = message.SenderId == LocalId && message.ForwardCount == 0 ? message : message.Forwarded(LocalId);
        SendRemote(owner, outgoing);
    }

    private void SendRemote(SiloAddress silo, Message message)
    {
        if (message.Direction == MessageDirection.Request && message.SenderId == LocalId && Cluster!.ProcessIdOf(silo) is { } processId)
            callbacks.SetTarget(message.Id, processId);
        try
        {
            Cluster!.SendTo(silo, message);
        }
        catch (TransportException ex)
        {
            throw new SiloUnavailableException($"Silo {silo} is not reachable: {ex.Message}");
        }
    }

    private void RouteToSiloControl(Message message)
    {
        var silo = SiloAddress.Parse(message.Target.Key);
        if (Cluster is not null && !Cluster.IsSelf(silo))
        {
            SendRemote(silo, message);
            return;
        }
        // A system target: answered by the runtime itself, with no activation (a ping only proves the silo's messaging works).
        SendResponse(message, ResponseStatus.Success, []);
    }

    private void RouteToObserver(Message message)
    {
        var slash = message.Target.Key.IndexOf('/');
        var host = slash > 0 ? message.Target.Key[..slash] : "";
        if (host == LocalId && Objects is not null)
        {
            Objects.Dispatch(message);
            return;
        }
        if (Cluster is not null && host != LocalId && Cluster.Connections.TrySendToProcess(host, message)) return;
        throw new ClientNotAvailableException($"Observer {message.Target} is hosted by '{host}', which is not reachable from '{LocalId}'.");
    }

    private GrainCatalog LocalCatalog =>
        Catalog ?? throw new InvalidOperationException($"'{LocalId}' hosts no grains and no silo is available.");
}
