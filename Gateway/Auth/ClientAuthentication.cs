using Microsoft.AspNetCore.Http;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Auth;

/// <summary>
/// The outcome of authenticating a socket client: the user (and, for a static token, its generation, which the user
/// grain checks in Connect), or a refusal with the HTTP status a /ws handshake answers and the body code.
/// </summary>
public sealed record ClientAuthentication(string? UserId, long? TokenGeneration, int Status, int Code, string Message)
{
    public bool Succeeded => UserId is not null;

    public static ClientAuthentication Success(string userId, long? tokenGeneration) =>
        new(userId, tokenGeneration, StatusCodes.Status200OK, 200, "ok");

    /// <summary>Bad, expired or foreign credentials: 401 with code 401 (seed 000).</summary>
    public static ClientAuthentication Unauthorized(string message) =>
        new(null, null, StatusCodes.Status401Unauthorized, StatusCodes.Status401Unauthorized, message);

    /// <summary>The app server refused a callback login: 401 with seed 002's code 302 (an HTTP 302 would be a redirect).</summary>
    public static ClientAuthentication Refused() =>
        new(null, null, StatusCodes.Status401Unauthorized, ImErrorCodes.LoginRefused, "The app server refused this login.");

    /// <summary>The app server is down or too slow: 503 with code 5030; the client may retry.</summary>
    public static ClientAuthentication Unavailable() =>
        new(null, null, StatusCodes.Status503ServiceUnavailable, ImErrorCodes.Unavailable, "The app server did not answer the login callback; try again later.");

    public static ClientAuthentication BadDeviceType() =>
        new(null, null, StatusCodes.Status403Forbidden, StatusCodes.Status403Forbidden, "deviceType must be one of: " + string.Join(", ", DeviceTypes.All) + ".");
}
