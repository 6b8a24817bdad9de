using System.Diagnostics;
using System.Text;

namespace OrleansIm.Fuzz;

/// <summary>What a run saw: inputs per surface, every code per kind of answer, and the failures. Thread-safe.</summary>
public sealed class FuzzReport
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _inputs = [];
    private readonly SortedDictionary<string, SortedDictionary<int, int>> _codes = new(StringComparer.Ordinal);
    private readonly List<FuzzFailure> _failures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public FuzzReport(int seed) => Seed = seed;

    public int Seed { get; }

    private TimeSpan? _stopped;

    public TimeSpan Elapsed => _stopped ?? _clock.Elapsed;

    /// <summary>Receives a line for everything seen, when replaying one input.</summary>
    public Action<string>? Trace { get; set; }

    public int Inputs
    {
        get { lock (_lock) return _inputs.Values.Sum(); }
    }

    public IReadOnlyList<FuzzFailure> Failures
    {
        get { lock (_lock) return _failures.ToList(); }
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, int>> Codes
    {
        get { lock (_lock) return _codes.ToDictionary(k => k.Key, IReadOnlyDictionary<int, int> (k) => new SortedDictionary<int, int>(k.Value)); }
    }

    public void Counted(FuzzInput input)
    {
        lock (_lock) _inputs[input.Surface] = _inputs.GetValueOrDefault(input.Surface) + 1;
    }

    /// <summary>Records a code of kind <paramref name="kind"/> (e.g. "ws error code"); fails the input if it is not in <paramref name="documented"/> or is a failure code.</summary>
    public void Code(FuzzInput input, string kind, int code, IReadOnlySet<int> documented)
    {
        lock (_lock)
        {
            if (!_codes.TryGetValue(kind, out var counts)) _codes[kind] = counts = [];
            counts[code] = counts.GetValueOrDefault(code) + 1;
        }
        Trace?.Invoke($"{kind}: {code}");
        if (!documented.Contains(code)) Fail(input, $"{kind} {code} is not documented");
        else if (DocumentedCodes.Failures.Contains(code)) Fail(input, $"{kind} {code} (internal error / unavailable)");
    }

    public void Fail(FuzzInput input, string what)
    {
        Trace?.Invoke("FAILURE: " + what);
        lock (_lock) _failures.Add(new FuzzFailure(input.Index, input.Surface, what, $"{input.Label}: {input.Preview}"));
    }

    public void Stop() => _stopped = _clock.Elapsed;

    public string Summary(int maxFailures = 30)
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            text.AppendLine($"seed {Seed}: {_inputs.Values.Sum()} inputs in {Elapsed.TotalSeconds:F1} s ({string.Join(", ", _inputs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))})");
            text.AppendLine("codes seen (code ×count):");
            foreach (var (kind, counts) in _codes) text.AppendLine($"  {kind}: {string.Join(", ", counts.Select(c => $"{c.Key} ×{c.Value}"))}");
            text.AppendLine($"failures: {_failures.Count}");
            foreach (var failure in _failures.Take(maxFailures))
                text.AppendLine($"  seed {Seed} input {failure.Index} ({failure.Surface}): {failure.What}\n      {failure.Input}");
            if (_failures.Count > maxFailures) text.AppendLine($"  … and {_failures.Count - maxFailures} more");
            return text.ToString();
        }
    }
}
