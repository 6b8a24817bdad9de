using System.Globalization;

namespace OrleansIm.LoadTest;

/// <summary>
/// One run of the load-test tool, from its command line (<see cref="Parse"/>; <see cref="Usage"/> lists every option
/// with its default).
/// </summary>
public sealed class LoadTestSettings
{
    public const string Usage = """
        Usage: OrleansIm.LoadTest <scenario> [options]        run a scenario and print its figures
               OrleansIm.LoadTest floor [--port 9690]          run the floor (a bare WebSocket relay) until Ctrl+C
               OrleansIm.LoadTest targets [options]            measure issue 12's targets (targets --help)

        Scenarios:
          chat             1:1 pairs: one user of each pair sends to the other
          group            group fan-out: groups of --group-size members, --senders-per-group of them send
          connect-storm    log in --users users, then open their sockets as fast as --concurrency allows
          presence         half the users watch the other half, who connect and disconnect in a loop
          call             call signaling per pair: request, accept, offer, hangup, in a loop
          reconnect-storm  chat pairs; halfway every socket is dropped at once, reconnects and resyncs with msg.sync
          idle-sockets     connect --users sockets and hold them; with a node the tool started, its memory per socket

        Target (default: start a standalone node of this repository's build on 127.0.0.1):
          --urls http://127.0.0.1:9688,http://127.0.0.1:9689   running gateways; clients spread over them
          --app-key K (keyAbcd123)  --app-id ID (666666)
          --silo path/OrleansIm.Silo.dll   the node build to start    --node-arg --Key=Value   more node settings (repeatable)

        Load:
          --users N (100)            users (chat, call, reconnect-storm: N/2 pairs)
          --group-size N (10)        members per group     --senders-per-group N (1)
          --duration S (10)          seconds of load after setup     --ramp-up S (0): senders start spread over S seconds
          --warm-up S (0)            chat, group, reconnect-storm: S seconds of the same load before the measured duration;
                                     its messages are checked, its latencies and rates left out (timeline: negative seconds)
          --rate N (0)               open loop: N messages/s in all, reached linearly over --ramp-up; 0 = closed loop
          --window N (4)             closed loop: unacknowledged msg.send per sender
          --message-bytes N (100)    text characters per message
          --transient                chat, group: messages are pushed, never stored (seed 003 transient=1); deliveries are
                                     counted against acks, but there is no history to check them against
          --concurrency N (64)       logins and handshakes at once (setup, storms)

        Output:
          --floor          run the same scenario against the floor first (chat, group, connect-storm, idle-sockets) and
                           give every figure as a ratio to it
          --json PATH      results as JSON          --html PATH   a self-contained HTML report with plots
          --plain          plain progress lines even on a terminal     --no-check   skip the delivery checker

        Exit code: 0 ok, 1 the delivery checker found loss, duplicates or disorder (or the run failed), 2 bad arguments.
        """;

    public static readonly string[] Scenarios = ["chat", "group", "connect-storm", "presence", "call", "reconnect-storm", "idle-sockets"];

    /// <summary>The scenarios the floor can serve (it relays messages; it has no presence, calls or history).</summary>
    public static readonly string[] FloorScenarios = ["chat", "group", "connect-storm", "idle-sockets"];

    public string Scenario { get; set; } = "chat";

    /// <summary>Gateway base URLs; empty = start a node.</summary>
    public string[] Urls { get; set; } = [];

    public string AppKey { get; set; } = "keyAbcd123";

    public string AppId { get; set; } = "666666";

    public string? SiloDll { get; set; }

    public List<string> NodeArguments { get; } = [];

    public int Users { get; set; } = 100;

    public int GroupSize { get; set; } = 10;

    public int SendersPerGroup { get; set; } = 1;

    public double DurationSeconds { get; set; } = 10;

    public double RampUpSeconds { get; set; }

    /// <summary>
    /// chat, group, reconnect-storm: seconds of load before the measured <see cref="DurationSeconds"/>. Its messages are checked like any
    /// other, but its latencies and counts stay out of the figures (the timeline shows them at negative seconds): a node
    /// that was just started still compiles and sizes its pools, which is not its steady state.
    /// </summary>
    public double WarmUpSeconds { get; set; }

    /// <summary>Open-loop target in messages/s over all senders; 0 = closed loop with <see cref="Window"/>.</summary>
    public double Rate { get; set; }

    public int Window { get; set; } = 4;

    public int MessageBytes { get; set; } = 100;

    /// <summary>Sends transient messages (pushed, never stored): the delivery checker has no history to read.</summary>
    public bool Transient { get; set; }

    public int Concurrency { get; set; } = 64;

    public bool Floor { get; set; }

    public string? JsonPath { get; set; }

    public string? HtmlPath { get; set; }

    public bool Plain { get; set; }

    public bool Check { get; set; } = true;

    /// <summary><c>floor</c> command: the port to listen on (0 = a free one).</summary>
    public int FloorPort { get; set; } = 9690;

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    public TimeSpan RampUp => TimeSpan.FromSeconds(RampUpSeconds);

    public TimeSpan WarmUp => TimeSpan.FromSeconds(WarmUpSeconds);

    /// <summary>How long the load runs: the warm-up, then the measured duration.</summary>
    public TimeSpan RunTime => WarmUp + Duration;

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static LoadTestSettings Parse(string[] args)
    {
        var settings = new LoadTestSettings();
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(name);
                continue;
            }
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{name} takes a whole number ≥ {min}.");
            double Number(double min) => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{name} takes a number ≥ {min}.");
            switch (name)
            {
                case "--urls": settings.Urls = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--app-key": settings.AppKey = Value(); break;
                case "--app-id": settings.AppId = Value(); break;
                case "--silo": settings.SiloDll = Value(); break;
                case "--node-arg": settings.NodeArguments.Add(Value()); break;
                case "--users": settings.Users = Int(2); break;
                case "--group-size": settings.GroupSize = Int(2); break;
                case "--senders-per-group": settings.SendersPerGroup = Int(1); break;
                case "--duration": settings.DurationSeconds = Number(0.1); break;
                case "--ramp-up": settings.RampUpSeconds = Number(0); break;
                case "--warm-up": settings.WarmUpSeconds = Number(0); break;
                case "--rate": settings.Rate = Number(0); break;
                case "--window": settings.Window = Int(1); break;
                case "--message-bytes": settings.MessageBytes = Int(1); break;
                case "--concurrency": settings.Concurrency = Int(1); break;
                case "--transient": settings.Transient = true; break;
                case "--floor": settings.Floor = true; break;
                case "--json": settings.JsonPath = Value(); break;
                case "--html": settings.HtmlPath = Value(); break;
                case "--plain": settings.Plain = true; break;
                case "--no-check": settings.Check = false; break;
                case "--port": settings.FloorPort = Int(0); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        if (positional.Count != 1) throw new ArgumentException("Give exactly one scenario (or 'floor').");
        settings.Scenario = positional[0];
        if (settings.Scenario != "floor" && !Scenarios.Contains(settings.Scenario))
            throw new ArgumentException($"Unknown scenario '{settings.Scenario}': {string.Join(", ", Scenarios)}.");
        if (settings.Floor && !FloorScenarios.Contains(settings.Scenario))
            throw new ArgumentException($"--floor is for {string.Join(", ", FloorScenarios)}: the floor has no presence, calls or history.");
        if (settings.Transient && settings.Scenario is not ("chat" or "group"))
            throw new ArgumentException("--transient is for chat and group.");
        if (settings.WarmUpSeconds > 0 && settings.Scenario is not ("chat" or "group" or "reconnect-storm"))
            throw new ArgumentException("--warm-up is for chat, group and reconnect-storm.");
        if (settings.Scenario == "group" && settings.SendersPerGroup > settings.GroupSize)
            throw new ArgumentException("--senders-per-group cannot exceed --group-size.");
        if (settings.MessageBytes > 5000) throw new ArgumentException("--message-bytes: a text holds at most 5000 characters (docs/protocol.md § Limits).");
        foreach (var url in settings.Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException($"--urls: '{url}' is not an http(s) URL.");
        }
        return settings;
    }
}
