using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Fuzz;

/// <summary>Inputs the fuzzer (tools/OrleansIm.Fuzz) found answered with an internal error or not at all; each now gets its documented code.</summary>
public sealed class FuzzFoundInputTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_frame_whose_strings_escape_a_lone_surrogate_is_malformed_json_and_the_socket_stays_usable()
    {
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(NodeFixture.NewUserId("fz")));

        // The id itself: it could not even be echoed, so there was no reply at all.
        await socket.SendTextAsync("{\"type\":\"ping\",\"id\":\"\\udc00\\ud800x\"}");
        var reply = ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.InvalidParameter);
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("id").ValueKind);
        await socket.PingAsync();

        // The same id in a frame that also repeats a key (found by a 20,000-input run, seed 42, once rate limits, reply caps and this check met): the repeated-key
        // answer echoed the id and its serialization failed, an internal error and no reply.
        await socket.SendTextAsync("{\"type\":\"call.response\",\"id\":\"\\udc00\\ud800x\",\"data\":{\"callId\":\"c\",\"type\":{\"a\":1,\"a\":2}}}");
        reply = ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.InvalidParameter);
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("id").ValueKind);
        await socket.PingAsync();

        // In data: was error 1 (internal).
        await socket.SendTextAsync("{\"type\":\"presence.query\",\"id\":7,\"data\":{\"user_ids\":[\"\\ud800\"]}}");
        ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.InvalidParameter);
        await socket.PingAsync();
    }

    [Fact]
    public async Task A_rest_body_with_a_lone_surrogate_escape_or_invalid_utf8_is_4406()
    {
        var user = NodeFixture.NewUserId("fz");
        await Node.LoginAsync(user);
        var (status, body) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            $"{{\"client_id\":\"{user}\",\"to_client_ids\":[\"\\udc00\\ud800\"],\"conv_type\":3}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ImErrorCodes.InvalidParameter, body.GetProperty("code").GetInt32());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes($"{{\"id\":\"{user}\",\"avatar\":\"http://x/a"), 0x84, .. "\"}"u8.ToArray()]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-App-Key", TestNode.AppKey);
        using var response = await Node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ImErrorCodes.InvalidParameter, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_sync_cursor_that_is_not_a_number_is_4406()
    {
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(NodeFixture.NewUserId("fz")));
        const string conv = "0123456789abcdef0123456789abcdef";
        await socket.ExpectErrorAsync("msg.sync", new { cursors = new Dictionary<string, object> { [conv] = new[] { 0 } } }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("msg.sync", new { cursors = new Dictionary<string, object> { [conv] = "1" } }, ImErrorCodes.InvalidParameter);
        await socket.PingAsync();
    }

    [Fact]
    public async Task A_blank_call_id_is_400()
    {
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(NodeFixture.NewUserId("fz")));
        await socket.ExpectErrorAsync("call.response", new { callId = " ", type = "ACCEPT" }, ImErrorCodes.CallBadRequest);
        await socket.ExpectErrorAsync("rtc.signaling", new { callId = "\t", type = "OFFER", payload = "x" }, ImErrorCodes.CallBadRequest);
        await socket.PingAsync();
    }
}
