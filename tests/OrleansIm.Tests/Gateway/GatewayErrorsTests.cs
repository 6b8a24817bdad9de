using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans.Runtime;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class GatewayErrorsTests
{
    [Fact]
    public void Business_errors_keep_their_code()
    {
        Assert.Equal((ImErrorCodes.NotMember, "no"), GatewayErrors.Classify(new ImException(ImErrorCodes.NotMember, "no")));
    }

    [Fact]
    public void A_dead_silo_or_a_timeout_is_a_retryable_503()
    {
        Assert.Equal(ImErrorCodes.Unavailable, GatewayErrors.Classify(new SiloUnavailableException("gone"))!.Value.Code);
        Assert.Equal(ImErrorCodes.Unavailable, GatewayErrors.Classify(new TimeoutException("slow"))!.Value.Code);
        Assert.Equal(ImErrorCodes.Unavailable, GatewayErrors.Classify(new GatewayTooBusyException())!.Value.Code);
        Assert.Equal(ImErrorCodes.Unavailable, GatewayErrors.Classify(new OperationCanceledException("Message expired before placement could complete"))!.Value.Code);
        Assert.Equal(503, ApiStatusCodes.ForCode(ImErrorCodes.Unavailable));
    }

    [Fact]
    public void Anything_else_is_unexpected()
    {
        Assert.Null(GatewayErrors.Classify(new InvalidOperationException("bug")));
        Assert.Null(GatewayErrors.Classify(new OrleansException("uncoded")));
    }
}
