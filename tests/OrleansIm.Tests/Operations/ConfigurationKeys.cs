using System.Collections;
using Orleans.Configuration;
using GatewayOptions = OrleansIm.Gateway.GatewayOptions;
using Orleans.Hosting.Kubernetes;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Calls;
using OrleansIm.Gateway.Chatrooms;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Grains;
using OrleansIm.Grains.Chatrooms;
using OrleansIm.Silo;

namespace OrleansIm.Tests.Operations;

/// <summary>
/// The configuration keys the Silo and Gateway executables read, from the code: each options class is walked by
/// reflection under the section constant it is bound from, plus the single keys the nodes read by name. A key set
/// in a manifest or image that is not among them is a typo or a setting that does not exist.
/// </summary>
public static class ConfigurationKeys
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (GatewayOptions.SectionName, typeof(GatewayOptions)),
        (RateLimitOptions.SectionName, typeof(RateLimitOptions)),
        (ClusterSettings.SectionName, typeof(ClusterSettings)),
        (ObservabilityOptions.SectionName, typeof(ObservabilityOptions)),
        (ImGrainOptions.SectionName, typeof(ImGrainOptions)),
        (ChatroomOptions.SectionName, typeof(ChatroomOptions)),
        (ChatroomGatewayOptions.SectionName, typeof(ChatroomGatewayOptions)),
        (TurnOptions.SectionName, typeof(TurnOptions)),
        (SiloConfiguration.RuntimeSectionName, typeof(SiloMessagingOptions)),
        (SiloConfiguration.RuntimeSectionName, typeof(GrainCollectionOptions)),
        (GatewayNode.RuntimeSectionName, typeof(ClientMessagingOptions)),
        (ClusterSiloNode.MembershipSectionName, typeof(ClusterMembershipOptions)),
    ];

    private static readonly string[] SingleKeys =
    [
        NodeMode.Key,
        StandaloneNode.DataDirectoryKey,
        ClusterSiloNode.GatewayEnabledKey,
        SiloConfiguration.RuntimeSectionName + ":SiloName",
        "ConnectionStrings:" + ClusterSiloNode.PostgresConnectionStringName,
        "ConnectionStrings:" + ClusterSettings.RedisConnectionStringName,
    ];

    /// <summary>ASP.NET Core's logging configuration is open-ended (categories, providers, formatter options).</summary>
    private const string LoggingPrefix = "Logging:";

    /// <summary>Variables that are not configuration keys but are read by name: the Kubernetes hosting package's downward-API variables.</summary>
    public static readonly IReadOnlySet<string> KubernetesVariables = new HashSet<string>
    {
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    };

    /// <summary><c>A__B__C</c> → <c>A:B:C</c>, as .NET's environment-variable configuration provider maps it.</summary>
    public static string FromEnvironmentVariable(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>Whether the binaries read <paramref name="key"/> (case-insensitive, like the configuration binder).</summary>
    public static bool IsRead(string key)
    {
        if (key.StartsWith(LoggingPrefix, StringComparison.OrdinalIgnoreCase)) return true;
        if (SingleKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) return true;
        foreach (var (section, options) in Sections)
        {
            if (!key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)) continue;
            if (Binds(options, key[(section.Length + 1)..].Split(':'))) return true;
        }
        return false;
    }

    private static bool Binds(Type type, string[] path)
    {
        var property = type.GetProperties().FirstOrDefault(p => p.CanWrite && string.Equals(p.Name, path[0], StringComparison.OrdinalIgnoreCase));
        if (property is null) return false;
        var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (path.Length == 1) return true;
        // A list or dictionary takes any index or key below it (Turn:Urls:0).
        if (target != typeof(string) && typeof(IEnumerable).IsAssignableFrom(target)) return true;
        return target.IsClass && target != typeof(string) && Binds(target, path[1..]);
    }
}
