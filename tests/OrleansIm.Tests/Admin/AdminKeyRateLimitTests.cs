using System.Net;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Admin;

/// <summary>Wrong admin keys are limited per address (loopback not exempt here): once used up, even the right key gets 429.</summary>
public sealed class AdminKeyRateLimitTests(AdminKeyRateLimitTests.Fixture fixture) : IClassFixture<AdminKeyRateLimitTests.Fixture>
{
    public sealed class Fixture : AdminNodeFixture
    {
        protected override IDictionary<string, string?> Settings => RateLimitSettings.Only(("AdminKeyFailuresPerAddress", 3, 1));
    }

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Wrong_keys_lock_the_address_and_then_the_right_key_is_refused_too()
    {
        // The bucket refills one token a second, so a refill may land between two requests: try a few rounds.
        var lockedOut = false;
        for (var round = 0; round < 5 && !lockedOut; round++)
        {
            (HttpStatusCode Status, System.Text.Json.JsonElement Body) reply;
            var guesses = 0;
            do
            {
                reply = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/silos", key: "wrong-admin-key-000000000");
                Assert.True(++guesses < 100, "wrong keys were never limited");
            }
            while (reply.Status == HttpStatusCode.Unauthorized);
            Assert.Equal(HttpStatusCode.TooManyRequests, reply.Status);
            Assert.Equal(ImErrorCodes.RateLimited, reply.Body.GetProperty("code").GetInt32());

            var (status, body) = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/silos");
            lockedOut = status == HttpStatusCode.TooManyRequests && body.GetProperty("code").GetInt32() == ImErrorCodes.RateLimited;
        }
        Assert.True(lockedOut, "the right key got through while the address was locked out");

        // The app-key API is not affected.
        var (apiStatus, _) = await Node.PostLoginAsync(new { id = NodeFixture.NewUserId("rl"), nickname = "x" });
        Assert.Equal(HttpStatusCode.OK, apiStatus);

        // Locked out only for a while: the right key works again once a token is back.
        await Eventually.True(async () => (await Node.AdminAsync(HttpMethod.Get, "/admin/v1/silos")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "a token comes back each second");
    }

    [Fact]
    public async Task A_lockout_answer_carries_retry_after()
    {
        HttpResponseMessage? response = null;
        for (var i = 0; i < 100; i++)
        {
            response?.Dispose();
            using var attempt = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/silos");
            attempt.Headers.Add("X-Admin-Key", "wrong-admin-key-111111111");
            response = await Node.Http.SendAsync(attempt);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) break;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, response!.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        response.Dispose();
    }
}
