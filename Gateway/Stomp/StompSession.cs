using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// A connected STOMP session: its subscriptions and the handling of every frame after CONNECT. User
/// destinations are resolved per session, like Spring's: whatever is addressed to this session on
/// /user/queue/X goes to each of its subscriptions whose destination is exactly /user/queue/X. Protocol
/// violations throw <see cref="StompProtocolException"/> (the connection sends ERROR and closes); failures of
/// a SEND become a MESSAGE on /user/queue/errors and the session stays open.
/// </summary>
public sealed class StompSession(ClientSession client, IStompOutput output, StompApplication application, ILogger logger)
{
    /// <summary>Subscriptions per session; a client needs about a dozen (seed 001 lists eleven destinations).</summary>
    public const int MaxSubscriptions = 256;

    private const string JsonContentType = "application/json";

    private readonly Dictionary<string, string> _subscriptions = new(StringComparer.Ordinal); // id → destination
    private long _messageCounter;

    public ClientSession Client { get; } = client;

    public IStompOutput Output { get; } = output;

    /// <summary>Set once DISCONNECT was handled; the connection stops reading frames.</summary>
    public bool Disconnected { get; private set; }

    /// <summary>Handles one client frame. Throws StompProtocolException for violations.</summary>
    public async Task HandleAsync(StompFrame frame)
    {
        switch (frame.Command)
        {
            case StompCommands.Subscribe:
                Subscribe(Required(frame, StompHeaders.Id), Required(frame, StompHeaders.Destination));
                break;
            case StompCommands.Unsubscribe:
                lock (_subscriptions) _subscriptions.Remove(Required(frame, StompHeaders.Id));
                break;
            case StompCommands.Send:
                await SendAsync(Required(frame, StompHeaders.Destination), frame.Body);
                break;
            case StompCommands.Ack:
            case StompCommands.Nack:
                // Every subscription is auto-ack: messages are pushes, nothing is redelivered.
                break;
            case StompCommands.Disconnect:
                Disconnected = true;
                SendReceipt(frame);
                Output.Close(1000, "");
                return;
            case StompCommands.Connect:
            case StompCommands.Stomp:
                throw new StompProtocolException("Already connected.");
            case StompCommands.Begin:
            case StompCommands.Commit:
            case StompCommands.Abort:
                throw new StompProtocolException("Transactions are not supported.");
            default:
                throw new StompProtocolException($"Unknown command '{frame.Command}'.");
        }
        SendReceipt(frame);
    }

    public bool HasSubscription(string destination)
    {
        lock (_subscriptions) return _subscriptions.ContainsValue(destination);
    }

    /// <summary>A MESSAGE with this JSON body to every subscription of the destination; returns how many got it.</summary>
    public int Deliver(string destination, ReadOnlyMemory<byte> json)
    {
        List<string> ids;
        lock (_subscriptions) ids = _subscriptions.Where(s => s.Value == destination).Select(s => s.Key).ToList();
        foreach (var id in ids)
        {
            var messageId = Client.ConnectionId + "-" + Interlocked.Increment(ref _messageCounter).ToString(CultureInfo.InvariantCulture);
            Output.Send(new StompFrame(StompCommands.Message,
            [
                KeyValuePair.Create(StompHeaders.Destination, destination),
                KeyValuePair.Create(StompHeaders.Subscription, id),
                KeyValuePair.Create(StompHeaders.MessageId, messageId),
                KeyValuePair.Create(StompHeaders.ContentType, JsonContentType),
                KeyValuePair.Create(StompHeaders.ContentLength, json.Length.ToString(CultureInfo.InvariantCulture)),
            ], json));
        }
        return ids.Count;
    }

    public int Deliver(string destination, JsonNode json) => Deliver(destination, GatewayJson.ToUtf8(json));

    /// <summary>Seed 001's optional error queue: {"code","message"}. Dropped if the session did not subscribe.</summary>
    public void SendError(int code, string message)
    {
        if (Deliver(StompDestinations.Errors, new JsonObject { ["code"] = code, ["message"] = message }) == 0)
            logger.LogDebug("Error {Code} for {ConnectionId} dropped: no {Destination} subscription", code, Client.ConnectionId, StompDestinations.Errors);
    }

    /// <summary>
    /// A frame refused by the rate limit: {"code":429,"message","retryAfterMs","command","receipt"?} on the error queue. The
    /// frame was not handled, so it gets no RECEIPT; "receipt" names the one it asked for.
    /// </summary>
    public void SendRateLimited(string command, long retryAfterMs, string? receipt)
    {
        var body = new JsonObject
        {
            ["code"] = StompErrorCodes.TooManyRequests,
            ["message"] = "Too many frames; retry after retryAfterMs.",
            ["retryAfterMs"] = retryAfterMs,
            ["command"] = command,
        };
        if (receipt is not null) body["receipt"] = receipt;
        if (Deliver(StompDestinations.Errors, body) == 0)
            logger.LogDebug("Rate limit error for {ConnectionId} dropped: no {Destination} subscription", Client.ConnectionId, StompDestinations.Errors);
    }

    private void Subscribe(string id, string destination)
    {
        lock (_subscriptions)
        {
            if (_subscriptions.ContainsKey(id)) throw new StompProtocolException($"Subscription id '{id}' is already in use.");
            if (_subscriptions.Count >= MaxSubscriptions) throw new StompProtocolException($"At most {MaxSubscriptions} subscriptions per connection.");
            _subscriptions[id] = destination;
        }
    }

    private async Task SendAsync(string destination, ReadOnlyMemory<byte> body)
    {
        try
        {
            await application.HandleSendAsync(this, destination, body);
        }
        catch (JsonException)
        {
            SendError(StompErrorCodes.BadRequest, "The body is not valid JSON.");
        }
        catch (Exception e) when (GatewayErrors.Classify(e) is { } known)
        {
            SendError(known.Code, known.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "SEND {Destination} from user {UserId} ({ConnectionId}) failed", destination, Client.UserId, Client.ConnectionId);
            SendError(StompErrorCodes.Internal, "Internal server error.");
        }
    }

    private void SendReceipt(StompFrame frame)
    {
        var receipt = frame[StompHeaders.Receipt];
        if (receipt is not null) Output.Send(new StompFrame(StompCommands.Receipt, (StompHeaders.ReceiptId, receipt)));
    }

    private static string Required(StompFrame frame, string header) =>
        frame[header] is { Length: > 0 } value ? value : throw new StompProtocolException($"{frame.Command} requires a '{header}' header.");
}
