using System.Text.Json;
using OrleansIm.LoadTest;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.LoadTest;

/// <summary>
/// The load-test tool's scenario runner (tools/OrleansIm.LoadTest) in-process against a real node for a few seconds:
/// messages are acked, the delivery checker reads the node's history and passes, and the JSON and HTML reports are
/// written with their figures and embedded plots. Short on purpose; the figures themselves are in docs/performance.md.
/// </summary>
public sealed class LoadTestSmokeTests
{
    [Fact]
    public async Task Chat_for_three_seconds_is_checked_against_history_and_reported()
    {
        await using var node = await TestNode.StartAsync();
        var (report, json, html, output) = await RunAsync(node, "chat", "--users", "8", "--duration", "3", "--window", "4", "--message-bytes", "200");

        Assert.True(report.Run.Check is { Passed: true }, output);
        Assert.True(report.Run.Acked > 0, output);
        Assert.Equal(report.Run.Acked, report.Run.Check!.AckedMessages);
        Assert.Equal(report.Run.Acked, report.Run.Delivered); // one recipient per message, all online
        Assert.Equal(0, report.Run.Errors);

        var run = json.RootElement.GetProperty("run");
        Assert.Equal("chat", run.GetProperty("scenario").GetString());
        Assert.Equal(report.Run.Acked, run.GetProperty("acked").GetInt64());
        Assert.True(run.GetProperty("check").GetProperty("passed").GetBoolean());
        Assert.True(run.GetProperty("latency").GetProperty("ack").GetProperty("p99Ms").GetDouble() > 0);
        Assert.True(run.GetProperty("latency").GetProperty("delivery").GetProperty("count").GetInt64() > 0);
        Assert.True(run.GetProperty("timeline").GetArrayLength() > 0);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("floor").ValueKind);

        Assert.Contains("<img alt=\"plot\"", html);
        Assert.Contains("src=\"data:image/png;base64,iVBOR", html); // a PNG's signature, base64
        Assert.Contains("delivery check passed", html);
    }

    [Fact]
    public async Task A_warm_up_is_checked_but_left_out_of_the_figures()
    {
        await using var node = await TestNode.StartAsync();
        var (report, json, _, output) = await RunAsync(node, "chat", "--users", "6", "--warm-up", "2", "--duration", "2", "--window", "2");

        // Every message of the run, warm-up included, is checked against history and delivered.
        Assert.True(report.Run.Check is { Passed: true }, output);
        Assert.Equal(report.Run.Acked, report.Run.Check!.AckedMessages);
        Assert.Equal(report.Run.Acked, report.Run.Delivered);

        // The figures hold only the 2 measured seconds: fewer samples than acks, and the rate is theirs over 2 s.
        var ackSamples = report.Run.Latency["ack"].Count;
        Assert.InRange(ackSamples, 1, report.Run.Acked - 1);
        Assert.InRange(report.Run.AckedPerSecond, ackSamples / 2.0 * 0.8, ackSamples / 2.0 * 1.25);

        // The timeline shows the warm-up at negative seconds and counts every ack once.
        var timeline = json.RootElement.GetProperty("run").GetProperty("timeline").EnumerateArray().ToList();
        Assert.Contains(timeline, p => p.GetProperty("second").GetInt32() < 0);
        Assert.Contains(timeline, p => p.GetProperty("second").GetInt32() >= 0);
        Assert.Equal(report.Run.Acked, timeline.Sum(p => p.GetProperty("acked").GetInt64()));
    }

    [Fact]
    public async Task Group_fan_out_for_two_seconds_reaches_every_member_once()
    {
        await using var node = await TestNode.StartAsync();
        var (report, json, _, output) = await RunAsync(node, "group", "--users", "12", "--group-size", "4", "--senders-per-group", "2", "--duration", "2");

        Assert.True(report.Run.Check is { Passed: true }, output);
        Assert.True(report.Run.Acked > 0, output);
        Assert.Equal(report.Run.Acked * 3, report.Run.ExpectedDeliveries);
        Assert.Equal(report.Run.ExpectedDeliveries, report.Run.Delivered);
        Assert.Equal(3, report.Run.Check!.Conversations);
        Assert.Equal("group", json.RootElement.GetProperty("run").GetProperty("scenario").GetString());
    }

    [Fact]
    public async Task Transient_chat_counts_every_push_and_skips_the_history_check()
    {
        await using var node = await TestNode.StartAsync();
        var (report, _, _, output) = await RunAsync(node, "chat", "--users", "6", "--duration", "2", "--transient");

        Assert.Null(report.Run.Check); // nothing is stored, so there is no history to check against
        Assert.True(report.Run.Acked > 0, output);
        Assert.Equal(report.Run.Acked, report.Run.ExpectedDeliveries);
        Assert.Equal(report.Run.ExpectedDeliveries, report.Run.Delivered);
        Assert.Equal(0, report.Run.Errors);
    }

    private static async Task<(OrleansIm.LoadTest.Output.LoadTestReport Report, JsonDocument Json, string Html, string Output)> RunAsync(TestNode node, params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("orleansim-loadtest-");
        try
        {
            var jsonPath = Path.Combine(directory.FullName, "run.json");
            var htmlPath = Path.Combine(directory.FullName, "run.html");
            var settings = LoadTestSettings.Parse([.. args, "--urls", node.BaseUri.GetLeftPart(UriPartial.Authority), "--app-key", TestNode.AppKey,
                "--json", jsonPath, "--html", htmlPath, "--plain"]);
            var output = new StringWriter();
            var report = await LoadTestRunner.RunAsync(settings, output);
            return (report, JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath)), await File.ReadAllTextAsync(htmlPath), output.ToString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
