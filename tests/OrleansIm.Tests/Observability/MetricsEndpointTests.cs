using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Observability;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Observability;

/// <summary>
/// /metrics of a real standalone node, scraped over HTTP after real traffic: the product's instruments
/// (connections, frames, messages, ack and delivery latency, store latency, rate-limit rejections) and Orleans' own.
/// Each test has its own node, because meters count for the whole node, and the tests run alone (MetricsCollection).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Chat_traffic_shows_up_in_the_product_metrics_and_orleans_metrics()
    {
        await using var node = await TestNode.StartAsync();
        var a = NodeFixture.NewUserId("m-alice");
        var b = NodeFixture.NewUserId("m-bob");
        var tokenA = await node.LoginAsync(a);
        var tokenB = await node.LoginAsync(b);
        var (status, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;

        await using var alice = await node.ConnectAsync(tokenA, "im_web");
        await using var bob = await node.ConnectAsync(tokenB, "im_app_ios");
        for (var i = 1; i <= 3; i++)
        {
            await alice.AckAsync("msg.send", new { conv_id = convId, client_msg_id = $"m{i}", type = -1, text = $"hello {i}" });
            await bob.WaitForTypeAsync("msg.new", f => f.GetProperty("data").GetProperty("seq").GetInt64() == i);
        }
        var (restStatus, _) = await node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = a, type = -1, text = "over REST" }));
        Assert.Equal(HttpStatusCode.OK, restStatus);
        await bob.WaitForTypeAsync("msg.new", f => f.GetProperty("data").GetProperty("seq").GetInt64() == 4);

        PrometheusScrape scrape = null!;
        // The exporter caches a scrape for a moment; wait until it includes the last push.
        await Eventually.True(async () =>
        {
            scrape = await PrometheusScrape.GetAsync(node.Http);
            return scrape.Sum("orleansim_gateway_messages_delivered_total", ("dialect", "json")) >= 4;
        }, because: "the deliveries are counted");

        Assert.Equal(1, scrape.Sum("orleansim_gateway_connections", ("dialect", "json"), ("device_type", "im_web")));
        Assert.Contains("otel_scope_name=\"OrleansIm.Gateway\"", scrape.Text);
        Assert.Equal(1, scrape.Sum("orleansim_gateway_connections", ("dialect", "json"), ("device_type", "im_app_ios")));
        Assert.True(scrape.Sum("orleansim_gateway_frames_received_total", ("dialect", "json")) >= 3);
        Assert.True(scrape.Sum("orleansim_gateway_frames_sent_total", ("dialect", "json")) >= 3 + 4);
        Assert.Equal(3, scrape.Sum("orleansim_gateway_messages_sent_total", ("dialect", "json")));
        Assert.Equal(1, scrape.Sum("orleansim_gateway_messages_sent_total", ("dialect", "rest")));
        Assert.Equal(3, scrape.Sum("orleansim_gateway_ack_duration_seconds_count", ("dialect", "json")));
        Assert.True(scrape.Sum("orleansim_gateway_ack_duration_seconds_sum", ("dialect", "json")) > 0);
        Assert.Equal(1, scrape.Sum("orleansim_gateway_ack_duration_seconds_count", ("dialect", "rest")));
        Assert.Equal(4, scrape.Sum("orleansim_gateway_delivery_duration_seconds_count", ("dialect", "json")));
        Assert.Equal(4, scrape.Sum("orleansim_gateway_delivery_duration_seconds_bucket", ("dialect", "json"), ("le", "+Inf")));
        Assert.Equal(4, scrape.Sum("orleansim_storage_duration_seconds_count", ("store", "messages"), ("operation", "append"), ("error", "false")));
        Assert.True(scrape.Sum("orleansim_storage_duration_seconds_count", ("store", "conversation_index")) >= 1);

        // Orleans' own meter: grain calls and activations of this silo, and grain state latency.
        Assert.True(scrape.Sum("orleans_app_requests_latency_milliseconds_count") > 0, string.Join(", ", scrape.Names.Where(n => n.StartsWith("orleans_", StringComparison.Ordinal))));
        Assert.True(scrape.Sum("orleans_catalog_activations") > 0);
        Assert.True(scrape.Sum("orleans_storage_write_latency_milliseconds_count") > 0);
        // ASP.NET Core's request durations.
        Assert.True(scrape.Sum("http_server_request_duration_seconds_count") > 0);
        // .NET's runtime meter: the thread pool ran this traffic, the process used CPU.
        Assert.True(scrape.Sum("dotnet_thread_pool_work_item_count_total") > 0, string.Join(", ", scrape.Names.Where(n => n.StartsWith("dotnet_", StringComparison.Ordinal))));
        Assert.True(scrape.Sum("dotnet_process_cpu_time_seconds_total") > 0);
    }

    [Fact]
    public async Task A_STOMP_connection_and_its_frames_and_deliveries_are_counted_under_dialect_stomp()
    {
        await using var node = await TestNode.StartAsync();
        var a = NodeFixture.NewUserId("ms-alice");
        var b = NodeFixture.NewUserId("ms-bob");
        var tokenA = await node.LoginAsync(a);
        var tokenB = await node.LoginAsync(b);
        var (_, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;

        await using var stomp = await StompTestClient.OpenAsync(node.BaseUri, $"userId={a}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(tokenA, "im_pc_win")).Command);
        await stomp.SendAsync("SUBSCRIBE\nid:1\ndestination:/user/queue/msg/new\nreceipt:r1\n\n\0");
        Assert.Equal("RECEIPT", (await stomp.NextAsync()).Command);
        await using var bob = await node.ConnectAsync(tokenB, "im_web");
        await bob.AckAsync("msg.send", new { conv_id = convId, client_msg_id = "s1", type = -1, text = "to STOMP" });
        var message = await stomp.NextAsync();
        Assert.Equal("/user/queue/msg/new", message["destination"]);

        PrometheusScrape scrape = null!;
        await Eventually.True(async () =>
        {
            scrape = await PrometheusScrape.GetAsync(node.Http);
            return scrape.Sum("orleansim_gateway_messages_delivered_total", ("dialect", "stomp")) == 1;
        }, because: "the STOMP delivery is counted");
        Assert.Equal(1, scrape.Sum("orleansim_gateway_connections", ("dialect", "stomp"), ("device_type", "im_pc_win")));
        Assert.True(scrape.Sum("orleansim_gateway_frames_received_total", ("dialect", "stomp")) >= 2); // CONNECT, SUBSCRIBE
        Assert.True(scrape.Sum("orleansim_gateway_frames_sent_total", ("dialect", "stomp")) >= 3); // CONNECTED, RECEIPT, MESSAGE
        Assert.Equal(1, scrape.Sum("orleansim_gateway_delivery_duration_seconds_count", ("dialect", "stomp")));
    }

    [Fact]
    public async Task Rate_limit_rejections_counted_through_GatewayMetrics_are_exported()
    {
        await using var node = await TestNode.StartAsync();
        var metrics = node.Services.GetRequiredService<GatewayMetrics>();
        metrics.RateLimitRejected(GatewayMetrics.Json, "messages");
        metrics.RateLimitRejected(GatewayMetrics.Json, "messages");
        metrics.RateLimitRejected(GatewayMetrics.Rest, "logins");

        var scrape = await PrometheusScrape.GetAsync(node.Http);
        Assert.Equal(2, scrape.Sum("orleansim_gateway_rate_limit_rejections_total", ("dialect", "json"), ("limit", "messages")));
        Assert.Equal(1, scrape.Sum("orleansim_gateway_rate_limit_rejections_total", ("dialect", "rest"), ("limit", "logins")));
    }

    [Fact]
    public async Task A_closed_connection_is_no_longer_counted()
    {
        await using var node = await TestNode.StartAsync();
        var token = await node.LoginAsync(NodeFixture.NewUserId("m-gone"));
        var socket = await node.ConnectAsync(token, "im_pc_win");
        await socket.PingAsync();
        await Eventually.True(async () => (await PrometheusScrape.GetAsync(node.Http)).Sum("orleansim_gateway_connections", ("device_type", "im_pc_win")) == 1,
            because: "the open connection is counted");

        await socket.DisposeAsync();
        await Eventually.True(async () => (await PrometheusScrape.GetAsync(node.Http)).Sum("orleansim_gateway_connections", ("device_type", "im_pc_win")) == 0,
            because: "the closed connection is no longer counted");
    }
}
