namespace OrleansIm.Gateway.Admin;

/// <summary>
/// This gateway process's name, as admins see it in device look-ups and online counts: the host name (a pod's name in
/// Kubernetes), the process id and a random suffix, so two gateways of one host (or of one test process) never share it.
/// </summary>
public sealed class GatewayIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}
