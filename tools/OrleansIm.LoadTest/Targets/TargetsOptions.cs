using System.Globalization;

namespace OrleansIm.LoadTest.Targets;

/// <summary>The <c>targets</c> command's options (<see cref="Usage"/>).</summary>
public sealed class TargetsOptions
{
    public const string Usage = """
        Usage: OrleansIm.LoadTest targets [options]    measure issue 12's performance targets and print them with the floor

          --users N (100)           chat users (N/2 pairs)          --window N (4)   sends in flight per sender
          --duration S (10)         seconds per measurement
          --warm-up S (30)          seconds of the same load before each chat and group measurement, not counted: each
                                    runs on a freshly started node (or floor), which compiles and sizes its pools first
          --group-size N (1000)     members of the fan-out group (all online)   --group-rate N (5): group messages/s
          --idle-sockets N (15000)  idle sockets for the memory figure, held 150 s (needs ulimit -n ≥ N + 1000; 0 skips it)
          --cluster-urls URLS       gateways of a running local cluster (scripts/local-cluster.sh up 3 2) for the
                                    cluster target; without it that target is reported as not run
          --silo PATH               the node build to start (default: this repository's Release build)
          --json PATH               the checks as JSON

        Exit code: 0 every measured target met, 3 some missed, 1 a run failed, 2 bad arguments.
        """;

    public int Users { get; set; } = 100;

    public int Window { get; set; } = 4;

    public double DurationSeconds { get; set; } = 10;

    public double WarmUpSeconds { get; set; } = 30;

    public int GroupSize { get; set; } = 1000;

    public double GroupRate { get; set; } = 5;

    public int IdleSockets { get; set; } = 15_000;

    public string? ClusterUrls { get; set; }

    public string? SiloDll { get; set; }

    public string? JsonPath { get; set; }

    public static TargetsOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TargetsOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            double Number(double min) => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{name} takes a number ≥ {min}.");
            int Int(int min) => (int)Math.Min(int.MaxValue, Math.Floor(Number(min)));
            switch (name)
            {
                case "--users": options.Users = Int(2); break;
                case "--window": options.Window = Int(1); break;
                case "--duration": options.DurationSeconds = Number(1); break;
                case "--warm-up": options.WarmUpSeconds = Number(0); break;
                case "--group-size": options.GroupSize = Int(2); break;
                case "--group-rate": options.GroupRate = Number(0.1); break;
                case "--idle-sockets": options.IdleSockets = Int(0); break;
                case "--cluster-urls": options.ClusterUrls = Value(); break;
                case "--silo": options.SiloDll = Value(); break;
                case "--json": options.JsonPath = Value(); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        return options;
    }
}
