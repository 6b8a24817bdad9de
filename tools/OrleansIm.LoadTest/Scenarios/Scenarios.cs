namespace OrleansIm.LoadTest.Scenarios;

/// <summary>The scenario of each name in <see cref="LoadTestSettings.Scenarios"/>.</summary>
public static class Scenarios
{
    public static IScenario Create(string name) => name switch
    {
        "chat" => new ChatScenario(reconnectStorm: false),
        "reconnect-storm" => new ChatScenario(reconnectStorm: true),
        "group" => new GroupScenario(),
        "connect-storm" => new ConnectStormScenario(holdIdle: false),
        "idle-sockets" => new ConnectStormScenario(holdIdle: true),
        "presence" => new PresenceScenario(),
        "call" => new CallScenario(),
        _ => throw new ArgumentException($"Unknown scenario '{name}'."),
    };
}
