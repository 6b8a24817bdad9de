using System.Diagnostics;
using OrleansIm.Grains.Interfaces;
using Xunit;
using Xunit.Abstractions;

namespace OrleansIm.Tests.Grains;

/// <summary>References from GetGrainWithCachedType are the references Orleans' GetGrain makes, and they work.</summary>
public sealed class GrainFactoryExtensionsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cached_type_references_equal_orleans_references_and_reach_the_same_grain()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        foreach (var key in new[] { "alice", "bob", "c-3" })
        {
            var cached = im.Grains.GetGrainWithCachedType<IUserGrain>(key);
            var plain = im.Grains.GetGrain<IUserGrain>(key);
            Assert.Equal(plain, cached);
            Assert.Equal(((GrainReference)plain).InterfaceType, ((GrainReference)cached).InterfaceType);
            Assert.Equal(plain.GetGrainId(), cached.GetGrainId());
        }
        Assert.Equal(im.Grains.GetGrain<IConversationGrain>("c1").GetGrainId(), im.Grains.GetGrainWithCachedType<IConversationGrain>("c1").GetGrainId());

        await im.Grains.GetGrainWithCachedType<IUserGrain>("alice").Login(new LoginRequest("Alice", null, null, null));
        Assert.Equal("Alice", (await im.User("alice").GetProfile())!.Nickname);

        Assert.Throws<ArgumentException>(() => im.Grains.GetGrainWithCachedType<IUserGrain>(" "));

        // Not an assertion on time (this machine is shared): the figure the extension exists for, printed.
        const int n = 20_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) im.Grains.GetGrain<IUserGrain>("u" + i);
        var plainNs = clock.Elapsed.TotalNanoseconds / n;
        clock.Restart();
        for (var i = 0; i < n; i++) im.Grains.GetGrainWithCachedType<IUserGrain>("u" + i);
        output.WriteLine($"GetGrain: {plainNs:N0} ns per reference; GetGrainWithCachedType: {clock.Elapsed.TotalNanoseconds / n:N0} ns");
    }
}
