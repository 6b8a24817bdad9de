namespace OrleansIm.Gateway.Auth;

/// <summary>Seed 002's <c>authType</c>: how a socket client proves who it is (handshake/CONNECT parameter, default 0).</summary>
public static class AuthTypes
{
    /// <summary>A static token: the JWT from POST /openapi/v1/user/login (or /token/refresh).</summary>
    public const int Static = 0;

    /// <summary>A dynamic token the app server derives from the app secret, the account and the time (<see cref="DynamicTokenService"/>).</summary>
    public const int Dynamic = 1;

    /// <summary>Third-party callback: the server asks the app server (<see cref="AuthCallbackOptions.Url"/>) whether to admit the login.</summary>
    public const int Callback = 2;

    /// <summary>Absent or empty = <see cref="Static"/>; null if the value is not 0, 1 or 2.</summary>
    public static int? Parse(string? value) => string.IsNullOrWhiteSpace(value) ? Static : value.Trim() switch
    {
        "0" => Static,
        "1" => Dynamic,
        "2" => Callback,
        _ => null,
    };
}
