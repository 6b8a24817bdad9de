namespace OrleansIm.Tests.Cluster;

/// <summary>Command-line settings every in-process cluster silo and gateway of a test shares.</summary>
public static class ClusterArguments
{
    /// <summary>Redis membership of the test's Redis, a cluster and service id of its own, quiet logs.</summary>
    public static string[] Common(string clusterId) =>
    [
        $"--ConnectionStrings:Redis={RedisTestServer.ConnectionString}",
        $"--Cluster:ClusterId={clusterId}", $"--Cluster:ServiceId={clusterId}",
        "--Logging:LogLevel:Default=Warning",
    ];
}
