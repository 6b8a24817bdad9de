using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Grains;

/// <summary>Assertions on business errors that crossed a grain call.</summary>
internal static class GrainAssert
{
    public static async Task<ImException> ThrowsCodeAsync(int expectedCode, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<ImException>(call);
        Assert.Equal(expectedCode, ex.Code);
        return ex;
    }
}
