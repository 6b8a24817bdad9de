namespace OrleansIm.Gateway.Observability;

/// <summary>
/// Where health and metrics are served (configuration section <c>Observability</c>). Without a port they share the
/// client listener (Gateway:Port) of processes that have one, and a silo without a gateway serves none.
/// </summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>
    /// A listener of its own for /health/live, /health/ready and /metrics; those paths are then answered only there
    /// (404 on the client port), so metrics need not be public. Null (the default) = no listener of its own.
    /// Required for a silo without a gateway to serve them at all.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>The address that listener binds to.</summary>
    public string Host { get; set; } = "0.0.0.0";
}
