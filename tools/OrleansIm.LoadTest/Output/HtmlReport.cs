using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;

namespace OrleansIm.LoadTest.Output;

/// <summary>
/// A self-contained HTML report: the settings, every figure (with the floor's and the ratio when there is one), the
/// delivery check, and three ScottPlot plots embedded as base64 PNG — throughput over time, latency percentiles over
/// time, and the latency histogram.
/// </summary>
public static class HtmlReport
{
    private const int Width = 900;
    private const int Height = 380;

    public static async Task WriteAsync(LoadTestReport report, string path) => await File.WriteAllTextAsync(path, Render(report));

    public static string Render(LoadTestReport report)
    {
        var run = report.Run;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>OrleansIm load test: ").Append(E(run.Scenario)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .Append("td:first-child,th:first-child{text-align:left}.fail{color:#b00;font-weight:bold}.pass{color:#070;font-weight:bold}</style></head><body>");
        html.Append("<h1>OrleansIm load test: ").Append(E(run.Scenario)).Append("</h1>");
        html.Append("<p>").Append(E(run.Target)).Append("<br>").Append(E(report.Machine)).Append("<br>started ")
            .Append(run.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC<br><code>").Append(E(report.Command)).Append("</code></p>");

        html.Append("<h2>Figures</h2><table><tr><th>figure</th><th>run</th>");
        if (report.Floor is not null) html.Append("<th>floor</th><th>run / floor</th>");
        html.Append("</tr>");
        var floorFigures = report.Floor is null ? null : LoadTestReport.Figures(report.Floor);
        foreach (var (name, value) in LoadTestReport.Figures(run))
        {
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(F(value)).Append("</td>");
            if (floorFigures is not null)
                html.Append("<td>").Append(F(floorFigures.GetValueOrDefault(name))).Append("</td><td>")
                    .Append(report.RatioToFloor.TryGetValue(name, out var ratio) ? ratio.ToString("0.###", CultureInfo.InvariantCulture) : "–").Append("</td>");
            html.Append("</tr>");
        }
        foreach (var (name, value) in new Dictionary<string, double> { ["sent"] = run.Sent, ["acked"] = run.Acked, ["delivered"] = run.Delivered,
                     ["expected deliveries"] = run.ExpectedDeliveries, ["errors"] = run.Errors, ["rate-limited (retried)"] = run.RateLimited,
                     ["connects"] = run.Connects, ["connect failures"] = run.ConnectFailures, ["events"] = run.Events }.Concat(run.Extra))
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(F(value)).Append("</td>").Append(report.Floor is null ? "" : "<td></td><td></td>").Append("</tr>");
        html.Append("</table>");

        html.Append("<h2>Delivery check</h2>");
        html.Append(run.Check is null ? "<p>not run</p>"
            : $"<p class=\"{(run.Check.Passed ? "pass" : "fail")}\">{E(run.Check.Summary)}</p>" +
              (run.Check.Examples.Count == 0 ? "" : "<ul>" + string.Concat(run.Check.Examples.Select(e => $"<li>{E(e)}</li>")) + "</ul>"));
        if (run.ErrorKinds.Count > 0)
            html.Append("<h2>Errors</h2><ul>").Append(string.Concat(run.ErrorKinds.Select(e => $"<li>{e.Value:N0} × {E(e.Key)}</li>"))).Append("</ul>");

        html.Append("<h2>Throughput over time</h2>").Append(Png(ThroughputPlot(run)));
        html.Append("<h2>Latency over time</h2>").Append(Png(LatencyOverTimePlot(run)));
        html.Append("<h2>Latency histogram</h2>").Append(Png(HistogramPlot(run)));
        html.Append("</body></html>");
        return html.ToString();
    }

    private static Plot ThroughputPlot(RunResult run) => OverTime(run, "per second",
        ("acked/s", p => p.Acked), ("delivered/s", p => p.Delivered), ("connects/s", p => p.Connects), ("events/s", p => p.Events), ("errors/s", p => p.Errors));

    private static Plot LatencyOverTimePlot(RunResult run) => OverTime(run, "ms",
        ("ack p50", p => p.AckP50Ms), ("ack p99", p => p.AckP99Ms), ("delivery p50", p => p.DeliveryP50Ms), ("delivery p99", p => p.DeliveryP99Ms),
        ("signal p50", p => p.SignalP50Ms), ("signal p99", p => p.SignalP99Ms));

    /// <summary>One line per series over the run's seconds; a series with no value above zero is left out.</summary>
    private static Plot OverTime(RunResult run, string yLabel, params (string Label, Func<TimelinePoint, double?> Value)[] series)
    {
        var plot = new Plot();
        foreach (var (label, value) in series)
        {
            var points = run.Timeline.Where(p => value(p) is not null).ToArray();
            if (points.Any(p => value(p) > 0))
                plot.Add.Scatter(points.Select(p => (double)p.Second).ToArray(), points.Select(p => value(p)!.Value).ToArray()).LegendText = label;
        }
        plot.XLabel("seconds since the measured phase began");
        plot.YLabel(yLabel);
        plot.ShowLegend();
        return plot;
    }

    private static Plot HistogramPlot(RunResult run)
    {
        var plot = new Plot();
        // The kind the scenario is about: delivery when messages were delivered, else the first kind with samples.
        var kind = new[] { "delivery", "ack", "signal", "connect" }.FirstOrDefault(k => run.Histograms.GetValueOrDefault(k)?.Count > 0);
        if (kind is null) return plot;
        var buckets = run.Histograms[kind];
        var p999 = Cut(buckets, 0.999);
        var shown = buckets.Where(b => b[0] <= p999).ToArray();
        // Buckets widen with latency (logarithmic), so the height is samples per ms, not per bucket.
        var bars = shown.Select(b => new Bar { Position = (b[0] + b[1]) / 2, Value = b[2] / (b[1] - b[0]), Size = b[1] - b[0] }).ToArray();
        plot.Add.Bars(bars);
        plot.Title($"{kind} latency (up to p99.9)");
        plot.XLabel("ms");
        plot.YLabel("samples per ms");
        return plot;
    }

    /// <summary>The lower bound of the bucket holding the <paramref name="quantile"/> sample.</summary>
    private static double Cut(IReadOnlyList<double[]> buckets, double quantile)
    {
        var total = buckets.Sum(b => b[2]);
        double seen = 0;
        foreach (var b in buckets)
        {
            seen += b[2];
            if (seen >= total * quantile) return b[0];
        }
        return double.MaxValue;
    }

    private static string Png(Plot plot) =>
        $"<img alt=\"plot\" width=\"{Width}\" height=\"{Height}\" src=\"data:image/png;base64,{Convert.ToBase64String(plot.GetImageBytes(Width, Height, ImageFormat.Png))}\">";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double? value) => value is null ? "–" : value.Value.ToString(Math.Abs(value.Value) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);
}
