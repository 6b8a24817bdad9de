using System.Globalization;

namespace OrleansIm.Tests.Observability;

/// <summary>One scrape of a /metrics endpoint in Prometheus' text format, read as (name, labels, value) samples.</summary>
public sealed class PrometheusScrape
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    public PrometheusScrape(string text)
    {
        Text = text;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var brace = line.IndexOf('{');
            var space = line.IndexOf(' ');
            string name, labels, rest;
            if (brace >= 0 && brace < space)
            {
                var close = line.LastIndexOf('}');
                name = line[..brace];
                labels = line[(brace + 1)..close];
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                name = line[..space];
                labels = "";
                rest = line[(space + 1)..].Trim();
            }
            var value = rest.Split(' ')[0];
            _samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }
    }

    public string Text { get; }

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    /// <summary>Sum of the samples named <paramref name="name"/> whose labels include every <c>key="value"</c> given.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Sum(s => s.Value);

    public static async Task<PrometheusScrape> GetAsync(HttpClient http, string path = "/metrics")
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }
}
