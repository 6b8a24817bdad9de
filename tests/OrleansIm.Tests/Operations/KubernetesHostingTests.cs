using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using OrleansIm.Silo;
using Xunit;

namespace OrleansIm.Tests.Operations;

/// <summary>
/// Cluster:Kubernetes=true makes a cluster silo take its name and advertised address from the pod (the downward API
/// variables k8s/base sets) and listen on every interface; without it those variables are ignored. The host is
/// built, not started (no Kubernetes API here).
/// </summary>
public sealed class KubernetesHostingTests
{
    private static readonly string[] Common = ["--OrleansIm:Mode=silo", "--ConnectionStrings:Redis=127.0.0.1:1",
        "--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1", "--Cluster:Tls:Enabled=false"];

    [Fact]
    public void With_Cluster_Kubernetes_the_silo_is_named_and_advertised_from_the_pod()
    {
        var (name, options) = Build(kubernetes: true);
        Assert.Equal(PodName, name);
        Assert.Equal(IPAddress.Parse(PodIp), options.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), options.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), options.GatewayListeningEndpoint);
    }

    [Fact]
    public void Without_it_the_pod_variables_are_ignored()
    {
        var (name, options) = Build(kubernetes: false);
        Assert.NotEqual(PodName, name);
        Assert.NotEqual(IPAddress.Parse(PodIp), options.AdvertisedIPAddress);
    }

    private const string PodName = "orleansim-silo-7d9f8-abcde";
    private const string PodIp = "10.244.1.17";

    private static (string SiloName, EndpointOptions Endpoints) Build(bool kubernetes)
    {
        // Process-wide, but read only by the Kubernetes hosting package, which no other test enables.
        Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodNameEnvironmentVariable, PodName);
        Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable, PodIp);
        Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodNamespaceEnvironmentVariable, "orleansim");
        try
        {
            using var host = ClusterSiloNode.Build([.. Common, $"--Cluster:Kubernetes={kubernetes}"]);
            return (host.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName,
                host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodNameEnvironmentVariable, null);
            Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable, null);
            Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodNamespaceEnvironmentVariable, null);
        }
    }
}
