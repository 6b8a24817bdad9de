using Microsoft.AspNetCore.Http;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Reads the /ws credentials: seed 000 puts token and deviceType in headers, seed 002 adds authType and account;
/// browsers cannot set WebSocket headers, so the same names are accepted as query parameters (headers win).
/// </summary>
public static class SocketHandshake
{
    public const string TokenName = "token";
    public const string DeviceTypeName = "deviceType";
    public const string AuthTypeName = "authType";
    public const string AccountName = "account";

    public static string? Token(HttpRequest request) => Read(request, TokenName);

    public static string? DeviceType(HttpRequest request) => Read(request, DeviceTypeName);

    public static string? AuthType(HttpRequest request) => Read(request, AuthTypeName);

    public static string? Account(HttpRequest request) => Read(request, AccountName);

    private static string? Read(HttpRequest request, string name)
    {
        var header = request.Headers[name].ToString();
        if (!string.IsNullOrWhiteSpace(header)) return header.Trim();
        var query = request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(query) ? null : query.Trim();
    }
}
