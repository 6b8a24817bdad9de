using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;

namespace OrleansIm.Gateway.Observability;

/// <summary>
/// Structured logs on request: <c>Logging:Console:FormatterName=json</c> makes ASP.NET Core's console logger write
/// one JSON object per line. For that formatter only, scopes (the HTTP request id and path — never the query
/// string — and a connection's id) and UTC ISO-8601 timestamps are on unless
/// <c>Logging:Console:FormatterOptions</c> says otherwise; the plain text format stays as it was.
/// </summary>
public static class JsonConsoleLogDefaults
{
    private const string FormatterOptionsSection = "Logging:Console:FormatterOptions";

    public static IServiceCollection AddJsonConsoleLogDefaults(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetSection(FormatterOptionsSection);
        services.PostConfigure<JsonConsoleFormatterOptions>(o =>
        {
            if (configured[nameof(o.IncludeScopes)] is null) o.IncludeScopes = true;
            if (configured[nameof(o.TimestampFormat)] is null) o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            if (configured[nameof(o.UseUtcTimestamp)] is null) o.UseUtcTimestamp = true;
        });
        return services;
    }
}
