using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Auth;

/// <summary>
/// Authenticates a socket client by seed 002's <c>authType</c>, for both dialects: 0 static token (the login JWT; the
/// account, if given, must be its user), 1 dynamic token (<see cref="DynamicTokenService"/>, account required), 2
/// third-party callback (<see cref="CallbackLoginClient"/>, account required). Whether the user exists, is banned, or
/// the static token's generation is still current is the user grain's to say in Connect.
/// </summary>
public sealed class ClientAuthenticator(JwtTokenService tokens, DynamicTokenService dynamicTokens, CallbackLoginClient callback)
{
    public const int MaxCallbackTokenLength = 4096;
    public const string InvalidStaticTokenMessage = "token is missing, invalid or expired.";

    public async Task<ClientAuthentication> AuthenticateAsync(string? authType, string? token, string? account, string? deviceType, CancellationToken cancellationToken)
    {
        switch (AuthTypes.Parse(authType))
        {
            case AuthTypes.Static:
                var claims = tokens.Validate(token);
                if (claims is null) return ClientAuthentication.Unauthorized(InvalidStaticTokenMessage);
                if (!string.IsNullOrEmpty(account) && account != claims.UserId) return ClientAuthentication.Unauthorized("account does not match the token.");
                return ClientAuthentication.Success(claims.UserId, claims.Generation);

            case AuthTypes.Dynamic:
                if (!UserIds.IsValid(account)) return ClientAuthentication.Unauthorized("account (the user id) is required with authType 1.");
                return dynamicTokens.Check(account!, token) is { } problem
                    ? ClientAuthentication.Unauthorized(problem)
                    : ClientAuthentication.Success(account!, null);

            case AuthTypes.Callback:
                if (!callback.Enabled) return ClientAuthentication.Unauthorized("Callback login (authType 2) is not enabled on this server.");
                if (!UserIds.IsValid(account)) return ClientAuthentication.Unauthorized("account (the user id) is required with authType 2.");
                if (string.IsNullOrWhiteSpace(token) || token.Length > MaxCallbackTokenLength)
                    return ClientAuthentication.Unauthorized($"token is required with authType 2 (at most {MaxCallbackTokenLength} characters).");
                // Checked before asking: a request the server refuses anyway must not cost the app server a call.
                if (!DeviceTypes.IsValid(deviceType)) return ClientAuthentication.BadDeviceType();
                return await callback.AskAsync(account!, token, deviceType!, cancellationToken) switch
                {
                    CallbackVerdict.Allowed => ClientAuthentication.Success(account!, null),
                    CallbackVerdict.Refused => ClientAuthentication.Refused(),
                    _ => ClientAuthentication.Unavailable(),
                };

            default:
                return ClientAuthentication.Unauthorized("authType must be 0 (static token), 1 (dynamic token) or 2 (callback).");
        }
    }
}
