using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Orleans;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// Seed 003's file upload and the URLs it answers.
/// <para>
/// <c>POST /im/file/upload</c>: multipart/form-data with the file in field <c>file</c>, authenticated either as the
/// application (<c>app-id</c> + <c>app-key</c>, as every /im endpoint) or as a user (the login token in header
/// <c>token</c>, as /ws takes it, or <c>Authorization: Bearer …</c>; a banned user gets 213). The answer is seed 003's
/// envelope with <c>data</c> = the file's URL. The file is streamed into the <see cref="IFileStore"/>.
/// </para>
/// <para>
/// <c>GET /storage/uploads/{name}</c> (and HEAD): no authentication — the name's 128 random bits are the capability,
/// as with the URLs of other IM services. Single byte ranges, ETag and Last-Modified are ASP.NET Core's file result.
/// </para>
/// </summary>
public sealed class FileEndpoints(
    IFileStore store,
    IOptions<FileStorageOptions> options,
    ImApiHandler api,
    JwtTokenService tokens,
    IGrainFactory grains,
    UploadRateLimits limits,
    ILogger<FileEndpoints> logger) : IDisposable
{
    public const string UploadPath = "/im/file/upload";
    public const string DownloadPathPrefix = "/storage/uploads";
    public const string DownloadRoute = DownloadPathPrefix + "/{name}";
    public const string FileField = "file";
    public const string TokenHeader = "token";

    /// <summary>Room for the multipart boundaries, section headers and small fields around the file.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    private readonly SemaphoreSlim _uploadSlots = new(options.Value.MaxConcurrentUploads, options.Value.MaxConcurrentUploads);

    /// <summary>POST /im/file/upload</summary>
    public Task UploadAsync(HttpContext context) => api.HandleAsync(context, UploadFileAsync, requireAppCredentials: false);

    /// <summary>GET and HEAD /storage/uploads/{name}</summary>
    public async Task DownloadAsync(HttpContext context)
    {
        // The strict pattern first: nothing else (no "..", no separator, no encoded variant) ever reaches a store.
        if (context.GetRouteValue("name") is not string name || !FileNames.IsValid(name))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        OpenedFile? opened;
        try
        {
            opened = await store.OpenAsync(name, context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reading file {Name} from the store failed", name);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }
        if (opened is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Whatever a browser makes of the file, it runs nothing with our origin's rights.
        headers.ContentSecurityPolicy = "sandbox";
        // A name always means the same bytes.
        headers.CacheControl = "private, max-age=31536000, immutable";
        var file = opened.File;
        var result = Results.Stream(
            opened.Content,
            file.ContentType,
            fileDownloadName: FileContentTypes.ServesInline(file.ContentType) ? null : file.Name,
            lastModified: file.CreatedAt,
            entityTag: new EntityTagHeaderValue("\"" + file.Name[..32] + "\""),
            enableRangeProcessing: true);
        await result.ExecuteAsync(context);
    }

    public void Dispose() => _uploadSlots.Dispose();

    private async Task<JsonNode?> UploadFileAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        if (limits.TryAcquire(ClientAddress.Key(context, limits.ExemptLoopback), userId) is { } retryAfter)
            throw RateLimited(context, retryAfter, "Too many uploads; retry after the Retry-After header's seconds.");
        if (!_uploadSlots.Wait(0))
            throw RateLimited(context, TimeSpan.FromSeconds(1), "Too many uploads in progress on this server; retry shortly.");
        try
        {
            var name = await ReceiveAsync(context);
            return JsonValue.Create(UrlOf(context, name));
        }
        finally
        {
            _uploadSlots.Release();
        }
    }

    /// <returns>The token's user, or null for the application.</returns>
    private async Task<string?> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;
        if (ImApiHandler.PresentsAppCredentials(request))
        {
            api.RequireAppCredentials(request);
            return null;
        }

        var token = request.Headers[TokenHeader].ToString();
        if (token.Length == 0) token = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(token))
            throw new ImException(ImErrorCodes.MissingHeader,
                $"Missing header: {ImApiHandler.AppIdHeader} and {ImApiHandler.AppKeyHeader}, or a user's token ('{TokenHeader}' or 'Authorization: Bearer').");
        var claims = tokens.Validate(token) ?? throw new ImException(ImErrorCodes.Unauthorized, "Invalid or expired token.");
        var profile = await grains.GetGrain<IUserGrain>(claims.UserId).GetProfile();
        if (profile is null) throw new ImException(ImErrorCodes.UnknownUser, $"Unknown user '{claims.UserId}'.");
        if (profile.UserStatus == UserStatuses.Banned) throw new ImException(ImErrorCodes.Banned, $"User '{claims.UserId}' is banned.");
        return claims.UserId;
    }

    /// <summary>Reads the multipart body up to the file field and streams that into the store; returns the stored name.</summary>
    private async Task<string> ReceiveAsync(HttpContext context)
    {
        var request = context.Request;
        var settings = options.Value;
        // Refused before reading a byte when the client announced the size.
        if (request.ContentLength > settings.MaxFileBytes + MultipartOverheadBytes) throw TooLarge(settings.MaxFileBytes);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = settings.MaxFileBytes + MultipartOverheadBytes;

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new ImException(ImErrorCodes.InvalidParameter, $"The body must be multipart/form-data with the file in field '{FileField}'.");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
            throw new ImException(ImErrorCodes.InvalidParameter, "The multipart boundary is missing or longer than 70 characters.");

        var reader = new MultipartReader(boundary, request.Body);
        while (true)
        {
            MultipartSection? section;
            ContentDispositionHeaderValue? disposition;
            try
            {
                section = await reader.ReadNextSectionAsync(context.RequestAborted);
                if (section is null) break;
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FileField, StringComparison.Ordinal))
                {
                    await section.Body.DrainAsync(context.RequestAborted);
                    continue;
                }
            }
            catch (Exception e) when (IsBodyFailure(e))
            {
                throw BodyFailure(context, e, settings.MaxFileBytes);
            }

            var clientFileName = disposition.FileNameStar.Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            var contentType = FileContentTypes.Resolve(section.ContentType, clientFileName, settings.EffectiveAllowedContentTypes);
            if (!FileContentTypes.IsAllowed(contentType, settings.EffectiveAllowedContentTypes))
                throw new ImException(ImErrorCodes.InvalidParameter, $"Files of type '{contentType}' are not accepted.");
            var name = FileNames.New(FileContentTypes.ExtensionFor(contentType, clientFileName));
            try
            {
                // The store's own failures (disk, database) pass through as internal errors; the client's body's are marked.
                await store.SaveAsync(name, contentType, new UploadBodyStream(section.Body), settings.MaxFileBytes, context.RequestAborted);
            }
            catch (FileTooLargeException)
            {
                throw TooLarge(settings.MaxFileBytes);
            }
            catch (UploadBodyException e)
            {
                throw BodyFailure(context, e.InnerException!, settings.MaxFileBytes);
            }
            return name;
        }
        throw new ImException(ImErrorCodes.MissingParameter, $"Missing parameter: {FileField}.");
    }

    private static bool IsBodyFailure(Exception e) => e is IOException or InvalidDataException or BadHttpRequestException;

    /// <summary>What a failure to read the client's body means: too large (Kestrel's limit), gone (the client left), or malformed.</summary>
    private static Exception BodyFailure(HttpContext context, Exception e, long maxBytes)
    {
        if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }) return TooLarge(maxBytes);
        if (context.RequestAborted.IsCancellationRequested) return new OperationCanceledException(context.RequestAborted);
        return new ImException(ImErrorCodes.InvalidParameter, "The multipart body is malformed or ends early.");
    }

    private string UrlOf(HttpContext context, string name)
    {
        var configured = options.Value.PublicBaseUrl;
        var request = context.Request;
        var baseUrl = string.IsNullOrWhiteSpace(configured)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
            : configured;
        return baseUrl.TrimEnd('/') + DownloadPathPrefix + "/" + name;
    }

    private static ImException TooLarge(long maxBytes) => new(ImErrorCodes.LimitExceeded, $"The file is larger than {maxBytes} bytes.");

    private static RateLimitedException RateLimited(HttpContext context, TimeSpan retryAfter, string message)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return new RateLimitedException(message, retryAfter);
    }
}
