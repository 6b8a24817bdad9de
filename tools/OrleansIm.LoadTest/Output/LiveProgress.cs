using System.Globalization;
using OrleansIm.LoadTest.Metrics;
using OrleansIm.LoadTest.Scenarios;
using Spectre.Console;

namespace OrleansIm.LoadTest.Output;

/// <summary>
/// Shows a run's progress once a second while it runs: a live Spectre.Console table on a terminal, or one plain
/// line per second when the output is not a terminal (CI logs, pipes) or with <c>--plain</c>.
/// </summary>
public static class LiveProgress
{
    public static async Task ShowWhileAsync(Task work, ScenarioContext context, string label, TextWriter output, bool plain)
    {
        if (plain || Console.IsOutputRedirected || output != Console.Out || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await PlainAsync(work, context, label, output);
            return;
        }
        // One row per figure, so it fits a narrow terminal.
        string[] names = ["phase", "time", "sent", "acked", "acked/s now", "delivered", "errors", "ack p50 / p99", "delivery p50 / p99", "connects", "events", "signal p50 / p99"];
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(label)}[/]").AddColumns("", "so far");
        foreach (var name in names) table.AddRow(name, "");
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async live =>
        {
            var rate = new RateMeter(context.Metrics);
            while (true)
            {
                var done = work.IsCompleted;
                var m = context.Metrics;
                var cells = new[]
                {
                    Markup.Escape(context.Phase), $"{m.ElapsedSeconds:F0} s", N(m.Sent), N(m.Acked), N(rate.PerSecond()), N(m.Delivered),
                    m.Errors > 0 ? $"[red]{N(m.Errors)}[/]" : "0", Pair(m.Latency(LatencyKind.Ack)), Pair(m.Latency(LatencyKind.Delivery)),
                    m.ConnectFailures > 0 ? $"{N(m.Connects)} [red]({N(m.ConnectFailures)} failed)[/]" : N(m.Connects), N(m.Events),
                    Pair(m.Latency(LatencyKind.Signal)),
                };
                for (var i = 0; i < cells.Length; i++) table.UpdateCell(i, 1, new Markup(cells[i]));
                live.Refresh();
                if (done) break;
                await Task.WhenAny(work, Task.Delay(1000));
            }
        });
        await work;
    }

    private static async Task PlainAsync(Task work, ScenarioContext context, string label, TextWriter output)
    {
        output.WriteLine($"{label}: setting up");
        var rate = new RateMeter(context.Metrics);
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(1000));
            if (work.IsCompleted) break;
            var m = context.Metrics;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{m.ElapsedSeconds,5:F0} s] {context.Phase,-12} sent {m.Sent:N0}  acked {m.Acked:N0} ({rate.PerSecond():N0}/s)  delivered {m.Delivered:N0}  " +
                $"errors {m.Errors:N0}  ack {Pair(m.Latency(LatencyKind.Ack))}  delivery {Pair(m.Latency(LatencyKind.Delivery))}  " +
                $"connects {m.Connects:N0}  events {m.Events:N0}  signal {Pair(m.Latency(LatencyKind.Signal))}"));
        }
        await work;
    }

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pair(LatencyHistogram h) => h.Count == 0 ? "–" :
        string.Create(CultureInfo.InvariantCulture, $"{h.Percentile(50):0.##} / {h.Percentile(99):0.##} ms");

    /// <summary>Acks per second between two reads.</summary>
    private sealed class RateMeter(RunMetrics metrics)
    {
        private long _last;
        private double _lastAt;

        public double PerSecond()
        {
            var now = metrics.ElapsedSeconds;
            var acked = Interlocked.Read(ref metrics.Acked);
            var rate = now > _lastAt && acked >= _last ? (acked - _last) / (now - _lastAt) : 0;
            (_last, _lastAt) = (acked, now);
            return rate;
        }
    }
}
