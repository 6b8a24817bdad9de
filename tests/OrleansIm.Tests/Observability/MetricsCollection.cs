using Xunit;

namespace OrleansIm.Tests.Observability;

/// <summary>
/// Tests that read exact metric values run alone: a node's exporter listens to the product's meters by name, across
/// the whole process, so another test's node running at the same time would add its connections and messages.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
