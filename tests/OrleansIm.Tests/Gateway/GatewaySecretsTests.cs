using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Auth;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class GatewaySecretsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orleansim-secrets-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private const string AppKey = "app-key-of-this-test";
    private static readonly string Secret = new('s', GatewaySecrets.MinJwtSecretBytes);

    private IConfiguration Config(string? mode) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansIm:Mode"] = mode, ["Storage:DataDirectory"] = _dir })
        .Build();

    [Fact]
    public void Standalone_generates_a_secret_once_and_reuses_it()
    {
        var first = GatewaySecrets.Resolve(new GatewayOptions(), Config(null), NullLogger.Instance);
        var second = GatewaySecrets.Resolve(new GatewayOptions(), Config("standalone"), NullLogger.Instance);
        Assert.Equal(GatewaySecrets.SeedExampleAppKey, first.AppKey);
        Assert.True(first.JwtSecret.Length >= 32);
        Assert.Equal(first.JwtSecret, second.JwtSecret);
        Assert.Equal(first.JwtSecret, File.ReadAllText(Path.Combine(_dir, GatewaySecrets.SecretFileName)));
    }

    [Fact]
    public void Configured_secrets_win()
    {
        var secrets = GatewaySecrets.Resolve(new GatewayOptions { AppKey = AppKey, JwtSecret = Secret }, Config("cluster"), NullLogger.Instance);
        Assert.Equal((AppKey, Secret), (secrets.AppKey, secrets.JwtSecret));
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void Non_standalone_without_secrets_refuses_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            GatewaySecrets.Resolve(new GatewayOptions { AppKey = AppKey }, Config("cluster"), NullLogger.Instance));
        Assert.Contains("Gateway:JwtSecret", e.Message);
        Assert.DoesNotContain("Gateway:AppKey,", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("silo")]
    public void A_jwt_secret_under_32_bytes_is_refused_in_every_mode(string? mode)
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            GatewaySecrets.Resolve(new GatewayOptions { AppKey = AppKey, JwtSecret = "12345" }, Config(mode), NullLogger.Instance));
        Assert.Contains("at least 32 bytes", e.Message);
        GatewaySecrets.Resolve(new GatewayOptions { AppKey = AppKey, JwtSecret = Secret }, Config(mode), NullLogger.Instance);
    }

    [Fact]
    public void A_short_secret_in_the_data_directory_is_refused_not_used()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, GatewaySecrets.SecretFileName), "short");
        var e = Assert.Throws<InvalidOperationException>(() => GatewaySecrets.Resolve(new GatewayOptions(), Config(null), NullLogger.Instance));
        Assert.Contains(GatewaySecrets.SecretFileName, e.Message);
    }

    [Fact]
    public void A_short_app_key_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            GatewaySecrets.Resolve(new GatewayOptions { AppKey = "k", JwtSecret = Secret }, Config("silo"), NullLogger.Instance));
        Assert.Contains("Gateway:AppKey must be at least 8", e.Message);
    }
}
