using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Auth;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// Seed 003 "login". The socket is already authenticated by its token, so this only confirms: a client_id or
/// app_id that disagrees with the token/app is refused (4010); the reply is seed 003's login.success.
/// </summary>
public sealed class LoginFrameHandler(AppCredentials app, TimeProvider time) : IFrameHandler
{
    public string Type => "login";

    public Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var clientId = JsonFields.OptionalUserId(data, "client_id");
        if (clientId is not null && clientId != session.UserId)
            throw new ImException(ImErrorCodes.Unauthorized, "client_id does not match the connection's token.");

        if (JsonFields.TryGet(data, "app_id", out var appIdElement))
        {
            var appId = appIdElement.ValueKind switch
            {
                JsonValueKind.String => appIdElement.GetString(),
                JsonValueKind.Number => appIdElement.GetRawText(),
                _ => throw JsonFields.WrongType("app_id", "a string"),
            };
            if (appId != app.AppId) throw new ImException(ImErrorCodes.Unauthorized, "Unknown app_id.");
        }

        var reply = new FrameReply("login.success", new JsonObject { ["time"] = time.GetUtcNow().ToUnixTimeMilliseconds() }, "success");
        return Task.FromResult(reply);
    }
}
