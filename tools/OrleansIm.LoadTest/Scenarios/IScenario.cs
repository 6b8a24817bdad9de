namespace OrleansIm.LoadTest.Scenarios;

/// <summary>One load scenario: sets up its users, runs for the settings' duration (calling
/// <see cref="Metrics.RunMetrics.Start"/> when the measured phase begins), drains, and closes its sockets.</summary>
public interface IScenario
{
    Task RunAsync(ScenarioContext context);
}
