using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.Auth;

/// <summary>
/// Third-party callback login (seed 002, authType 2): POSTs {appKey, account, token, deviceType, authType, time} as
/// JSON to <c>Gateway:AuthCallback:Url</c>, signed so the app server can trust it:
/// <c>X-Im-Signature = hex(HMAC-SHA256(appSecret, X-Im-Timestamp + "." + body))</c>. The app server admits with a 2xx
/// and body <c>{"code":200}</c>. The whole exchange is bounded by <see cref="AuthCallbackOptions.Timeout"/>.
/// The client's token is never logged.
/// </summary>
public sealed class CallbackLoginClient(
    IHttpClientFactory httpClients,
    GatewaySecrets secrets,
    IOptions<AuthCallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackLoginClient> logger)
{
    /// <summary>The named HttpClient (no redirects followed; see GatewayServiceCollectionExtensions).</summary>
    public const string HttpClientName = "OrleansIm.AuthCallback";
    public const string AppKeyHeader = "X-Im-App-Key";
    public const string TimestampHeader = "X-Im-Timestamp";
    public const string SignatureHeader = "X-Im-Signature";

    /// <summary>False without a URL or without <c>Gateway:AppSecret</c> (requests could not be signed).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.Url) && secrets.AppSecret is not null;

    public async Task<CallbackVerdict> AskAsync(string account, string token, string deviceType, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var body = new JsonObject
        {
            ["appKey"] = secrets.AppKey,
            ["account"] = account,
            ["token"] = token,
            ["deviceType"] = deviceType,
            ["authType"] = AuthTypes.Callback,
            ["time"] = now.ToUnixTimeMilliseconds(),
        }.ToJsonString();
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(AppKeyHeader, secrets.AppKey);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(secrets.AppSecret!, timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500)
            {
                logger.LogInformation("Callback login of {Account}: the app server refused it with HTTP {Status}.", account, status);
                return CallbackVerdict.Refused;
            }
            if (status is < 200 or >= 300)
            {
                logger.LogWarning("Callback login of {Account}: the app server answered HTTP {Status}.", account, status);
                return CallbackVerdict.Unavailable;
            }

            var code = await ReadCodeAsync(response, settings.MaxResponseBytes, timeout.Token);
            if (code is null)
            {
                logger.LogWarning("Callback login of {Account}: the app server's answer is not a JSON object with a numeric code.", account);
                return CallbackVerdict.Unavailable;
            }
            if (code == 200) return CallbackVerdict.Allowed;
            logger.LogInformation("Callback login of {Account}: the app server refused it with code {Code}.", account, code);
            return CallbackVerdict.Refused;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away meanwhile: nobody is waiting for the verdict, and it must not be logged as an error.
            return CallbackVerdict.Unavailable;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Callback login of {Account}: the app server did not answer within {Timeout}.", account, settings.Timeout);
            return CallbackVerdict.Unavailable;
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Callback login of {Account}: the app server is unreachable ({Error}).", account, e.Message);
            return CallbackVerdict.Unavailable;
        }
    }

    /// <summary>hex(HMAC-SHA256(appSecret, timestamp + "." + body)), lower case: what the app server recomputes.</summary>
    public static string Sign(string appSecret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    /// <summary>The body's top-level numeric "code", or null if the body is too big, not JSON, or has none.</summary>
    private static async Task<int?> ReadCodeAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        if (length > maxBytes) return null;
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.Number
                && code.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
