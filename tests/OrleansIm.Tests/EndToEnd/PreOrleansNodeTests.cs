using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Base of tests on a node opened on a copy of the data directory written before the node ran on Orleans
/// (EndToEnd/Data/pre-orleans.db, commit aabf4a3): users alice and bob (avatars set), group conversation
/// <see cref="ConvId"/> with conv_extend {"topic":"pre-orleans"}, and three messages from alice, "old 1".."old 3".
/// Each test gets a fresh copy.
/// </summary>
public abstract class PreOrleansNodeTests(string directoryPrefix) : IAsyncLifetime
{
    protected const string ConvId = "142c5a19132645ce7fef4d905bea1ee7";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), directoryPrefix + Guid.NewGuid().ToString("N")[..12]);

    protected TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Data", "pre-orleans.db"), Path.Combine(_directory, "orleansim.db"));
        Node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _directory });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
