using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Runtime.Hosting;

/// <summary>
/// Makes a silo part of a cluster: a membership table, a silo-to-silo TCP listener, placement by consistent
/// hashing over the Active silos. Without it a silo is standalone and hosts every grain itself.
/// </summary>
public static class ClusteringSiloBuilderExtensions
{
    public static SiloBuilder UseClustering(this SiloBuilder builder, Func<IServiceProvider, IMembershipTable> table,
        Action<ClusterOptions>? configure = null)
    {
        builder.Services.RemoveAll<IMembershipTable>();
        builder.Services.AddSingleton(table);
        builder.Services.AddOptions<ClusterOptions>();
        builder.Services.AddOptions<MembershipOptions>();
        builder.Services.AddOptions<TransportOptions>();
        if (configure is not null) builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>In-process membership: the table object is shared by the silos of one process (tests).</summary>
    public static SiloBuilder UseInMemoryClustering(this SiloBuilder builder, InMemoryMembershipTable table, Action<ClusterOptions>? configure = null) =>
        builder.UseClustering(_ => table, configure);

    /// <summary>Membership in PostgreSQL (the cluster id in <see cref="ClusterOptions"/> scopes the rows).</summary>
    public static SiloBuilder UsePostgresClustering(this SiloBuilder builder, string connectionString, Action<ClusterOptions>? configure = null) =>
        builder.UseClustering(sp => new PostgresMembershipTable(connectionString,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.ClusterId), configure);
}
