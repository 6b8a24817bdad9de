using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OrleansIm.Gateway.Auth;
using Xunit;

namespace OrleansIm.Tests.Auth;

/// <summary>The token generation claim and the dynamic token algorithm, without a node.</summary>
public sealed class TokenUnitTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void The_generation_claim_round_trips_and_defaults_to_zero()
    {
        var service = new JwtTokenService("secret-1", TimeSpan.FromDays(30));
        Assert.Equal(7, service.Validate(service.Issue("alice", 7))!.Generation);
        Assert.Equal(0, service.Validate(service.Issue("alice"))!.Generation);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void A_signed_token_with_a_malformed_generation_is_refused(string gen)
    {
        const string secret = "secret-1";
        var header = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var exp = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"sub\":\"alice\",\"iat\":1,\"exp\":{exp},\"gen\":{gen}}}"));
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(header + "." + payload)));
        Assert.Null(new JwtTokenService(secret, TimeSpan.FromDays(1)).Validate($"{header}.{payload}.{signature}"));
    }

    [Fact]
    public void The_documented_worked_example_is_what_the_server_computes_and_accepts()
    {
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1767225600 + 100));
        var service = new DynamicTokenService("keyAbcd123", "example-app-secret-0123456789", new DynamicTokenOptions(), time);
        const string documented = "1767225600.3600.03a040497760cfb969132129c12009a008b7cd0efeb3ea86f8d9a8ce5bf486dd";
        Assert.Equal(documented, service.Compute("user123", 1767225600, 3600));
        Assert.Null(service.Check("user123", documented));
        Assert.Null(service.Check("user123", documented.ToUpperInvariant()));
        Assert.NotNull(service.Check("user124", documented));
    }

    [Fact]
    public void Without_an_app_secret_every_dynamic_token_is_refused()
    {
        var service = new DynamicTokenService("keyAbcd123", null, new DynamicTokenOptions(), TimeProvider.System);
        Assert.False(service.Enabled);
        Assert.NotNull(service.Check("user123", "1767225600.3600.03a040497760cfb969132129c12009a008b7cd0efeb3ea86f8d9a8ce5bf486dd"));
    }
}
