namespace OrleansIm.Tests;

/// <summary>
/// The Redis server the test command starts on loopback (scripts/test.sh exports ORLEANSIM_TEST_REDIS, a
/// StackExchange.Redis connection string). Tests isolate themselves by service or cluster id.
/// </summary>
public static class RedisTestServer
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ORLEANSIM_TEST_REDIS")
        ?? throw new InvalidOperationException(
            "ORLEANSIM_TEST_REDIS is not set. Run the tests with scripts/test.sh, which installs and starts a loopback Redis.");
}
