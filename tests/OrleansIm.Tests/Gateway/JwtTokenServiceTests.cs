using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using OrleansIm.Gateway.Auth;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class JwtTokenServiceTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Issued_token_is_bearer_hs256_with_sub_iat_exp_and_validates_with_or_without_prefix()
    {
        var time = new ManualTime(Start);
        var service = new JwtTokenService("secret-1", TimeSpan.FromDays(30), time);
        var token = service.Issue("alice");

        Assert.StartsWith("Bearer ", token);
        var parts = token["Bearer ".Length..].Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal("alice", payload.RootElement.GetProperty("sub").GetString());
        Assert.Equal(Start.ToUnixTimeSeconds(), payload.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(Start.AddDays(30).ToUnixTimeSeconds(), payload.RootElement.GetProperty("exp").GetInt64());

        Assert.Equal("alice", service.Validate(token)?.UserId);
        Assert.Equal("alice", service.Validate(token["Bearer ".Length..])?.UserId);
    }

    [Fact]
    public void Expired_token_is_rejected()
    {
        var time = new ManualTime(Start);
        var service = new JwtTokenService("secret-1", TimeSpan.FromDays(30), time);
        var token = service.Issue("alice");
        time.Now = Start.AddDays(30).AddSeconds(1);
        Assert.Null(service.Validate(token));
    }

    [Fact]
    public void Token_signed_with_another_secret_or_tampered_is_rejected()
    {
        var a = new JwtTokenService("secret-a", TimeSpan.FromDays(30));
        var b = new JwtTokenService("secret-b", TimeSpan.FromDays(30));
        var token = a.Issue("alice");
        Assert.Null(b.Validate(token));

        var parts = token["Bearer ".Length..].Split('.');
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"sub\":\"mallory\",\"exp\":9999999999}"));
        Assert.Null(a.Validate($"{parts[0]}.{forged}.{parts[2]}"));

        var none = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"alg\":\"none\"}"));
        Assert.Null(a.Validate($"{none}.{parts[1]}."));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer ")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("Bearer %%%.###.!!!")]
    public void Garbage_is_rejected_without_throwing(string? token)
    {
        Assert.Null(new JwtTokenService("s", TimeSpan.FromDays(1)).Validate(token));
    }
}
