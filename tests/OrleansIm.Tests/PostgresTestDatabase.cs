namespace OrleansIm.Tests;

/// <summary>
/// The PostgreSQL server the test command starts on loopback (scripts/test.sh exports ORLEANSIM_TEST_PG).
/// Tests isolate themselves by cluster id / key prefix, so no cleanup between tests is needed.
/// </summary>
public static class PostgresTestDatabase
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ORLEANSIM_TEST_PG")
        ?? throw new InvalidOperationException(
            "ORLEANSIM_TEST_PG is not set. Run the tests with scripts/test.sh, which installs and starts a loopback PostgreSQL.");
}
