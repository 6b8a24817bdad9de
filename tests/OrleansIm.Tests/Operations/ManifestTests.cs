using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Orleans.Hosting.Kubernetes;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Observability;
using OrleansIm.Silo;
using Xunit;
using YamlDotNet.RepresentationModel;
using static OrleansIm.Tests.Operations.KubernetesManifests;

namespace OrleansIm.Tests.Operations;

/// <summary>
/// k8s/ agrees with the code: rendered with `kubectl kustomize` (base, dev and prod), every environment variable the
/// pods and images set is a configuration key the binaries read, probes hit the health paths on the port that serves
/// them, container ports are the ones the processes listen on, grace periods cover the drain and the silo's
/// shutdown, and the Dockerfiles start the assemblies the projects build.
/// </summary>
public sealed class ManifestTests
{
    private const string Silo = "orleansim-silo";
    private const string Gateway = "orleansim-gateway";

    /// <summary>Left to the kubelet after the process's own budget before it kills the container.</summary>
    private static readonly TimeSpan GraceMargin = TimeSpan.FromSeconds(5);

    public static TheoryData<string> Renderings => new() { "base", "overlays/dev", "overlays/prod" };

    private static readonly ConcurrentDictionary<string, Lazy<KubernetesManifests>> Rendered = new();

    private static readonly Lazy<KubernetesManifests> Base = new(() => Render("base"));

    /// <summary>Each directory rendered once per test run.</summary>
    private static KubernetesManifests Render(string path) => Rendered.GetOrAdd(path, p => new(() => KubernetesManifests.Render(p))).Value;

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Every_variable_the_pods_set_is_a_setting_the_binaries_read(string path)
    {
        var manifests = Render(path);
        foreach (var deployment in new[] { Silo, Gateway })
        {
            var environment = Environment(manifests, deployment);
            Assert.NotEmpty(environment);
            foreach (var name in environment.Keys)
            {
                if (deployment == Silo && ConfigurationKeys.KubernetesVariables.Contains(name)) continue;
                Assert.True(ConfigurationKeys.IsRead(ConfigurationKeys.FromEnvironmentVariable(name)),
                    $"{path}: {deployment} sets {name}, which is no setting the binaries read ({ConfigurationKeys.FromEnvironmentVariable(name)})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Probes_hit_the_health_endpoints_on_the_port_that_serves_them(string path)
    {
        var manifests = Render(path);
        foreach (var deployment in new[] { Silo, Gateway })
        {
            var container = Container(manifests, deployment);
            var settings = Settings(manifests, deployment);
            // With Observability:Port the endpoints answer only there; without it, on the client port (a silo without
            // a gateway has none then, which the manifests must not rely on).
            var servedOn = settings.TryGetValue("Observability:Port", out var port) ? int.Parse(port)
                : deployment == Gateway ? ClientPort(settings) : throw new InvalidOperationException($"{path}: {deployment} serves no health endpoints without Observability:Port");
            foreach (var (probe, expectedPath) in new[]
                     {
                         ("startupProbe", HealthEndpoints.LivePath),
                         ("livenessProbe", HealthEndpoints.LivePath),
                         ("readinessProbe", HealthEndpoints.ReadyPath),
                     })
            {
                Assert.True(Node(container, probe) is not null, $"{path}: {deployment} has no {probe}");
                Assert.Equal(expectedPath, Scalar(container, probe, "httpGet", "path"));
                Assert.Equal(servedOn, ContainerPort(container, Scalar(container, probe, "httpGet", "port")!));
            }
            // Readiness checks have a 5 s deadline each: a probe that times out first reports a healthy pod as unready.
            Assert.True(Int(container, "readinessProbe", "timeoutSeconds") > 5, $"{path}: {deployment}'s readiness timeout must exceed the 5 s check deadline");
            Assert.Contains(HealthEndpoints.MetricsPath, Scalar(Node(manifests.Get("Deployment", deployment), "spec", "template"), "metadata", "annotations", "prometheus.io/path"));
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Container_ports_are_the_ones_the_processes_listen_on(string path)
    {
        var manifests = Render(path);
        var silo = Container(manifests, Silo);
        var siloSettings = Settings(manifests, Silo);
        var cluster = new ClusterSettings();
        Assert.Equal(Get(siloSettings, "Cluster:SiloPort", cluster.SiloPort), ContainerPort(silo, "silo"));
        Assert.Equal(Get(siloSettings, "Cluster:GatewayPort", cluster.GatewayPort), ContainerPort(silo, "orleans-gw"));
        Assert.Equal(Get(siloSettings, "Observability:Port", -1), ContainerPort(silo, "observability"));

        var gateway = Container(manifests, Gateway);
        var gatewaySettings = Settings(manifests, Gateway);
        Assert.Equal(ClientPort(gatewaySettings), ContainerPort(gateway, "http"));
        Assert.Equal(Get(gatewaySettings, "Observability:Port", -1), ContainerPort(gateway, "observability"));
        // Not loopback: a gateway with an AppKey listens on Gateway:Host.
        Assert.Equal("0.0.0.0", gatewaySettings.GetValueOrDefault("Gateway:Host", new GatewayOptions().Host));

        var service = manifests.Get("Service", Gateway);
        foreach (var port in Items(service, "spec", "ports"))
            Assert.Equal(ClientPort(gatewaySettings), ContainerPort(gateway, Scalar(port, "targetPort")!));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Grace_periods_cover_the_gateway_drain_and_the_silo_shutdown(string path)
    {
        var manifests = Render(path);
        var gatewayPod = Node(manifests.Get("Deployment", Gateway), "spec", "template", "spec");
        var gateway = Container(manifests, Gateway);
        var settings = Settings(manifests, Gateway);
        var defaults = new GatewayOptions();
        var preStop = TimeSpan.FromSeconds(Int(gateway, "lifecycle", "preStop", "sleep", "seconds") ?? 0);
        Assert.True(preStop > TimeSpan.Zero, $"{path}: the gateway needs a preStop pause so load balancers stop sending before the drain");
        var drain = Get(settings, "Gateway:DrainTimeout", defaults.DrainTimeout);
        var close = Get(settings, "Gateway:CloseTimeout", defaults.CloseTimeout);
        var grace = TimeSpan.FromSeconds(Int(gatewayPod, "terminationGracePeriodSeconds") ?? 30);
        Assert.True(grace >= preStop + drain + close + GraceMargin,
            $"{path}: gateway terminationGracePeriodSeconds {grace.TotalSeconds} < preStop {preStop.TotalSeconds} + drain {drain.TotalSeconds} + close {close.TotalSeconds} + {GraceMargin.TotalSeconds}");

        var siloPod = Node(manifests.Get("Deployment", Silo), "spec", "template", "spec");
        var siloSettings = Settings(manifests, Silo);
        var siloBudget = ClusterSiloNode.SiloShutdownTimeout;
        // A silo that co-hosts a gateway drains it first.
        if (Get(siloSettings, ClusterSiloNode.GatewayEnabledKey, false))
            siloBudget += Get(siloSettings, "Gateway:DrainTimeout", defaults.DrainTimeout) + Get(siloSettings, "Gateway:CloseTimeout", defaults.CloseTimeout);
        var siloPreStop = TimeSpan.FromSeconds(Int(Container(manifests, Silo), "lifecycle", "preStop", "sleep", "seconds") ?? 0);
        var siloGrace = TimeSpan.FromSeconds(Int(siloPod, "terminationGracePeriodSeconds") ?? 30);
        Assert.True(siloGrace >= siloPreStop + siloBudget + GraceMargin,
            $"{path}: silo terminationGracePeriodSeconds {siloGrace.TotalSeconds} < {siloPreStop.TotalSeconds} + {siloBudget.TotalSeconds} + {GraceMargin.TotalSeconds}");
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Silos_run_the_kubernetes_hosting_their_labels_name_the_cluster_and_they_may_watch_pods(string path)
    {
        var manifests = Render(path);
        var settings = Settings(manifests, Silo);
        Assert.Equal("silo", settings[NodeMode.Key]);
        Assert.True(Get(settings, "Cluster:Kubernetes", false), $"{path}: silos must set Cluster__Kubernetes=true");
        var environment = Environment(manifests, Silo);
        foreach (var variable in ConfigurationKeys.KubernetesVariables) Assert.True(environment.ContainsKey(variable), $"{path}: silos need {variable}");

        var defaults = new ClusterSettings();
        var template = Node(manifests.Get("Deployment", Silo), "spec", "template");
        Assert.Equal(settings.GetValueOrDefault("Cluster:ClusterId", defaults.ClusterId), Scalar(template, "metadata", "labels", KubernetesHostingOptions.ClusterIdLabel));
        Assert.Equal(settings.GetValueOrDefault("Cluster:ServiceId", defaults.ServiceId), Scalar(template, "metadata", "labels", KubernetesHostingOptions.ServiceIdLabel));
        // Gateways are in the same cluster (same ids) but are not silos: no orleans/* labels on their pods.
        var gatewaySettings = Settings(manifests, Gateway);
        Assert.Equal(settings.GetValueOrDefault("Cluster:ClusterId"), gatewaySettings.GetValueOrDefault("Cluster:ClusterId"));
        Assert.Equal(settings.GetValueOrDefault("Cluster:ServiceId"), gatewaySettings.GetValueOrDefault("Cluster:ServiceId"));
        Assert.Null(Scalar(manifests.Get("Deployment", Gateway), "spec", "template", "metadata", "labels", KubernetesHostingOptions.ClusterIdLabel));

        var account = Scalar(template, "spec", "serviceAccountName");
        var binding = manifests.OfKind("RoleBinding").Single(b => Items(b, "subjects").Any(s => Scalar(s, "name") == account));
        var role = manifests.Get("Role", Scalar(binding, "roleRef", "name")!);
        var verbs = Items(role, "rules").Where(r => Node(r, "resources") is YamlSequenceNode resources && resources.Children.Any(c => c.ToString() == "pods"))
            .SelectMany(r => ((YamlSequenceNode)Node(r, "verbs")!).Children.Select(c => c.ToString())).ToHashSet();
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch" }, verbs);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Autoscalers_and_disruption_budgets_target_the_deployments_which_request_resources(string path)
    {
        var manifests = Render(path);
        foreach (var deployment in new[] { Silo, Gateway })
        {
            var hpa = manifests.OfKind("HorizontalPodAutoscaler").Single(h => Scalar(h, "spec", "scaleTargetRef", "name") == deployment);
            Assert.Equal("Deployment", Scalar(hpa, "spec", "scaleTargetRef", "kind"));
            Assert.True(Int(hpa, "spec", "minReplicas") >= 1 && Int(hpa, "spec", "minReplicas") <= Int(hpa, "spec", "maxReplicas"));

            var labels = Pairs(manifests.Get("Deployment", deployment), "spec", "template", "metadata", "labels").ToHashSet();
            Assert.Single(manifests.OfKind("PodDisruptionBudget"), p => Pairs(p, "spec", "selector", "matchLabels").All(labels.Contains));

            // Utilization targets are relative to requests; the memory limit bounds a leak.
            var container = Container(manifests, deployment);
            Assert.NotNull(Scalar(container, "resources", "requests", "cpu"));
            Assert.NotNull(Scalar(container, "resources", "requests", "memory"));
            Assert.NotNull(Scalar(container, "resources", "limits", "memory"));
        }
    }

    [Fact]
    public void Production_keeps_cluster_tls_on_and_ships_no_secret_values()
    {
        var prod = Render("overlays/prod");
        Assert.Empty(prod.OfKind("Secret"));
        foreach (var deployment in new[] { Silo, Gateway })
            Assert.True(Get(Settings(prod, deployment), "Cluster:Tls:Enabled", true), $"prod: {deployment} must keep cluster TLS on");
        Assert.Empty(prod.OfKind("StatefulSet")); // PostgreSQL and Redis are external
    }

    [Theory]
    [InlineData("Silo/Dockerfile", typeof(StandaloneNode))]
    [InlineData("Gateway/Dockerfile", typeof(GatewayNode))]
    public void Dockerfiles_start_the_assembly_their_project_builds_and_set_only_real_settings(string dockerfile, Type entryType)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, dockerfile));
        var entrypoint = Regex.Match(text, @"^ENTRYPOINT\s+\[""dotnet"",\s*""([^""]+)""\]", RegexOptions.Multiline);
        Assert.True(entrypoint.Success, $"{dockerfile}: ENTRYPOINT [\"dotnet\", \"<assembly>.dll\"] expected");
        Assert.Equal(entryType.Assembly.GetName().Name + ".dll", entrypoint.Groups[1].Value);
        Assert.NotNull(entryType.Assembly.EntryPoint);
        foreach (Match env in Regex.Matches(text, @"^ENV\s+([A-Za-z0-9_]+)=", RegexOptions.Multiline))
            Assert.True(ConfigurationKeys.IsRead(ConfigurationKeys.FromEnvironmentVariable(env.Groups[1].Value)), $"{dockerfile}: ENV {env.Groups[1].Value} is no setting");
        var exposed = Regex.Match(text, @"^EXPOSE\s+(.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.Contains(new GatewayOptions().Port, exposed);
    }

    [Fact]
    public void The_key_catalogue_refuses_settings_that_do_not_exist()
    {
        Assert.True(ConfigurationKeys.IsRead("Gateway:DrainTimeout"));
        Assert.True(ConfigurationKeys.IsRead("cluster:tls:caCertificatePath"));
        Assert.True(ConfigurationKeys.IsRead("Gateway:RateLimits:SendsPerUser:TokenLimit"));
        Assert.True(ConfigurationKeys.IsRead("Turn:Urls:0"));
        Assert.False(ConfigurationKeys.IsRead("Gateway:DrainTimeOutt"));
        Assert.False(ConfigurationKeys.IsRead("Cluster:Tls:Certificate"));
        Assert.False(ConfigurationKeys.IsRead("Observability:Path"));
        Assert.False(ConfigurationKeys.IsRead("ConnectionStrings:Mongo"));
    }

    private static YamlMappingNode Container(KubernetesManifests manifests, string deployment) =>
        Items(manifests.Get("Deployment", deployment), "spec", "template", "spec", "containers").Single();

    /// <summary>Every variable the container gets: its env, and the keys of the ConfigMaps and Secrets in envFrom (a Secret the overlay leaves out is read from the base).</summary>
    private static Dictionary<string, string> Environment(KubernetesManifests manifests, string deployment)
    {
        var container = Container(manifests, deployment);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Items(container, "envFrom"))
        {
            if (Scalar(source, "configMapRef", "name") is { } map)
                foreach (var (k, v) in Pairs(manifests.Get("ConfigMap", map), "data")) result[k] = v;
            if (Scalar(source, "secretRef", "name") is { } secret)
            {
                var found = manifests.Find("Secret", secret) ?? Base.Value.Get("Secret", secret);
                foreach (var (k, v) in Pairs(found, "stringData").Concat(Pairs(found, "data"))) result[k] = v;
            }
        }
        // env wins over envFrom, as in Kubernetes.
        foreach (var variable in Items(container, "env")) result[Scalar(variable, "name")!] = Scalar(variable, "value") ?? "";
        return result;
    }

    /// <summary>The container's environment as configuration keys (A__B → A:B; last one wins).</summary>
    private static Dictionary<string, string> Settings(KubernetesManifests manifests, string deployment) =>
        Environment(manifests, deployment).ToDictionary(e => ConfigurationKeys.FromEnvironmentVariable(e.Key), e => e.Value, StringComparer.OrdinalIgnoreCase);

    private static int ClientPort(Dictionary<string, string> settings) => Get(settings, "Gateway:Port", new GatewayOptions().Port);

    private static int ContainerPort(YamlMappingNode container, string nameOrNumber)
    {
        if (int.TryParse(nameOrNumber, out var number)) return number;
        var port = Items(container, "ports").SingleOrDefault(p => Scalar(p, "name") == nameOrNumber)
            ?? throw new InvalidOperationException($"no container port named {nameOrNumber}");
        return Int(port, "containerPort")!.Value;
    }

    private static int Get(Dictionary<string, string> settings, string key, int fallback) => settings.TryGetValue(key, out var v) ? int.Parse(v) : fallback;

    private static bool Get(Dictionary<string, string> settings, string key, bool fallback) => settings.TryGetValue(key, out var v) ? bool.Parse(v) : fallback;

    private static TimeSpan Get(Dictionary<string, string> settings, string key, TimeSpan fallback) => settings.TryGetValue(key, out var v) ? TimeSpan.Parse(v) : fallback;
}
