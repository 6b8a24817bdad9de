using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Tests.Grains;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>UseSqliteImStorage end to end: a grain's written state survives stopping and restarting the silo.</summary>
public sealed class SqliteSiloStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private Task<ImGrainsHarness> StartAsync() => ImGrainsHarness.StartAsync(storage: silo =>
    {
        silo.UseSqliteImStorage(Path.Combine(_directory, "silo.db"));
        silo.UseInMemoryReminderService();
    });

    [Fact]
    public async Task Grain_state_survives_a_silo_restart()
    {
        await using (var im = await StartAsync())
        {
            var alice = await im.LoginAsync("alice");
            await alice.JoinConversation("conv1");
            await alice.MarkRead("conv1", 3);
        }

        await using (var im = await StartAsync())
        {
            var alice = im.User("alice");
            Assert.Equal("nick-alice", (await alice.GetProfile())!.Nickname);
            Assert.Equal([new ConversationCursor("conv1", 3, 3)], await alice.GetConversations());
            await alice.MarkRead("conv1", 5); // the ETag read back is accepted for the next write
        }

        await using (var im = await StartAsync())
        {
            Assert.Equal(5, (await im.User("alice").GetConversations())[0].LastReadSeq);
        }
    }
}
