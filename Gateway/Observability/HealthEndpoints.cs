using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansIm.Gateway.Observability;

/// <summary>The paths of the health endpoints, the tag that puts a check into readiness, and how a report is written.</summary>
public static class HealthEndpoints
{
    /// <summary>200 while the process runs its host (no check: a liveness probe must not fail because a dependency did).</summary>
    public const string LivePath = "/health/live";

    /// <summary>200 when every check tagged <see cref="ReadyTag"/> is healthy, else 503.</summary>
    public const string ReadyPath = "/health/ready";

    public const string MetricsPath = "/metrics";

    public const string ReadyTag = "ready";

    public static bool IsObservabilityPath(PathString path) =>
        path.Equals(LivePath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(ReadyPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>{"status":"Unhealthy","checks":{"silo":{"status":"Unhealthy","description":"…"}}}: which check failed and why, never an exception's text.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
