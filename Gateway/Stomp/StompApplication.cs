using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Calls;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// The /app/* SEND destinations (Spring's @MessageMapping): each turns a JSON body into the same grain calls
/// the /ws dialect makes. Failures throw (ImException, JsonException); the session reports them on
/// /user/queue/errors.
/// </summary>
public sealed class StompApplication(IGrainFactory grains, CallCommands calls, TurnCredentialService turn, IOptions<GatewayOptions> options)
{
    public async Task HandleSendAsync(StompSession session, string destination, ReadOnlyMemory<byte> body)
    {
        switch (destination)
        {
            case StompDestinations.AppUserStatus:
                await UserStatusAsync(session, body);
                break;
            // Calls answer nothing on success: every party learns the outcome from its call pushes (seed 001).
            case StompDestinations.AppCallRequest:
                await WithJson(body, json => calls.RequestAsync(session.Client.UserId, session.Client.DeviceSession, json));
                break;
            case StompDestinations.AppCallResponse:
                await WithJson(body, json => calls.RespondAsync(session.Client.UserId, session.Client.DeviceSession, json));
                break;
            case StompDestinations.AppCallHangup:
                // Seed 001's hangup may come with an empty body: the user's current call.
                if (body.Span.Trim(" \t\r\n"u8).IsEmpty) await calls.HangupAsync(session.Client.UserId, session.Client.DeviceSession, null);
                else await WithJson(body, json => calls.HangupAsync(session.Client.UserId, session.Client.DeviceSession, json));
                break;
            case StompDestinations.AppRtcSignaling:
                await WithJson(body, json => calls.SignalAsync(session.Client.UserId, session.Client.DeviceSession, json));
                break;
            case StompDestinations.AppTurnCredentials:
                // The body ({} in the seed) carries nothing; the reply is {"iceServers":[…]}.
                session.Deliver(StompDestinations.TurnCredentials, turn.GetIceServers(session.Client.UserId));
                break;
            default:
                throw new ImException(StompErrorCodes.NotFound, $"Unknown destination '{Truncate(destination)}'.");
        }
    }

    /// <summary>
    /// Seed 001 presence: body ["u1",…] (≤ 200). Answers the current status and watches those users, whose later
    /// changes are pushed on /topic/user/status. The answer goes to /user/queue/user/status if the session
    /// subscribed to it, else to /topic/user/status (the seed only names the topic).
    /// </summary>
    private async Task UserStatusAsync(StompSession session, ReadOnlyMemory<byte> body)
    {
        var ids = ReadUserIds(body);
        if (!session.Client.TryWatch(ids, options.Value.MaxPresenceSubscriptions))
            throw new ImException(StompErrorCodes.BadRequest, $"A connection may watch at most {options.Value.MaxPresenceSubscriptions} users.");

        var statuses = await Task.WhenAll(ids.Select(async id =>
        {
            var user = grains.GetGrain<IUserGrain>(id);
            await user.WatchPresence(session.Client.Observer);
            return await user.GetPresence();
        }));
        var answer = StompJson.PresenceArray(statuses);
        session.Deliver(session.HasSubscription(StompDestinations.UserStatus) ? StompDestinations.UserStatus : StompDestinations.TopicUserStatus, answer);
    }

    private static async Task WithJson(ReadOnlyMemory<byte> body, Func<JsonElement, Task> action)
    {
        using var document = ClientJson.Parse(body);
        await action(document.RootElement);
    }

    private static List<string> ReadUserIds(ReadOnlyMemory<byte> body)
    {
        using var document = ClientJson.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array) throw new ImException(StompErrorCodes.BadRequest, "The body must be a JSON array of user ids.");
        if (root.GetArrayLength() > MessageLimits.MaxPresenceIds)
            throw new ImException(StompErrorCodes.BadRequest, $"At most {MessageLimits.MaxPresenceIds} user ids per request.");
        var ids = new List<string>();
        foreach (var item in root.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!UserIds.IsValid(id)) throw new ImException(StompErrorCodes.BadRequest, "Every entry must be a valid user id string.");
            if (!ids.Contains(id!)) ids.Add(id!);
        }
        return ids;
    }

    private static string Truncate(string s) => s.Length <= 100 ? s : s[..100] + "…";
}
