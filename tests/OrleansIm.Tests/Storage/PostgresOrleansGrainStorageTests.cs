using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>
/// Orleans' own ADO.NET grain storage provider running on our PostgreSQL schema and queries
/// (<see cref="PostgresGrainStateSchema"/>). Each test hosts a minimal loopback silo with its own service id, so tests
/// share the database without seeing each other's rows.
/// </summary>
public sealed class PostgresOrleansGrainStorageTests : IAsyncLifetime
{
    public sealed class ProfileState
    {
        public string? Name { get; set; }
        public int Count { get; set; }
    }

    private const string StateName = "user";
    private const string DeletingProvider = "DeleteOnClear";
    private const string OtherServiceProvider = "OtherService";
    private static readonly GrainId Alice = GrainId.Create("user", "alice");
    private static readonly GrainId Bob = GrainId.Create("user", "bob");

    private readonly string _serviceId = $"test-{Guid.NewGuid():N}";
    private IHost _host = null!;
    private IGrainStorage _storage = null!;

    private string OtherServiceId => _serviceId + "-other";

    public async Task InitializeAsync()
    {
        await using (var database = new PostgresDatabase(PostgresTestDatabase.ConnectionString, writerCount: 1))
        {
            await database.EnsureSchemaAsync(PostgresGrainStateSchema.Component, PostgresGrainStateSchema.Steps);
        }
        _host = await StartSiloAsync();
        _storage = Provider("Default");
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Read_of_a_missing_record_gives_default_state_no_etag_and_no_record()
    {
        var state = await ReadAsync(Alice);

        Assert.NotNull(state.State);
        Assert.Null(state.State.Name);
        Assert.Equal(0, state.State.Count);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Write_then_read_returns_the_state_and_its_etag()
    {
        var written = await WriteNewAsync(Alice, "Alice", 1);

        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);
        var read = await ReadAsync(Alice);
        Assert.Equal("Alice", read.State.Name);
        Assert.Equal(1, read.State.Count);
        Assert.Equal("1", read.ETag);
        Assert.True(read.RecordExists);

        read.State.Count = 2;
        await _storage.WriteStateAsync(StateName, Alice, read);
        Assert.Equal("2", read.ETag);
        Assert.Equal(2, (await ReadAsync(Alice)).State.Count);
    }

    [Fact]
    public async Task Write_with_a_stale_etag_throws_and_changes_nothing()
    {
        var current = await WriteNewAsync(Alice, "Alice", 1);
        await _storage.WriteStateAsync(StateName, Alice, current);

        var stale = new GrainState<ProfileState> { State = new ProfileState { Name = "Mallory" }, ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Alice, stale));
        var neverIssued = new GrainState<ProfileState> { State = new ProfileState { Name = "Mallory" }, ETag = "7", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Alice, neverIssued));

        var read = await ReadAsync(Alice);
        Assert.Equal("Alice", read.State.Name);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Write_without_an_etag_over_an_existing_record_throws()
    {
        await WriteNewAsync(Alice, "Alice", 1);

        var fresh = new GrainState<ProfileState> { State = new ProfileState { Name = "Mallory" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Alice, fresh));

        var read = await ReadAsync(Alice);
        Assert.Equal("Alice", read.State.Name);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task Clear_leaves_a_versioned_empty_record_that_a_write_with_its_etag_replaces()
    {
        var state = await WriteNewAsync(Alice, "Alice", 1);
        await _storage.WriteStateAsync(StateName, Alice, state);
        var stale = new GrainState<ProfileState> { ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, Alice, stale));

        await _storage.ClearStateAsync(StateName, Alice, state);

        // DeleteStateOnClear = false (the default): the row stays, its version moves on and is still the ETag.
        Assert.Equal("3", state.ETag);
        Assert.False(state.RecordExists);
        var read = await ReadAsync(Alice);
        Assert.False(read.RecordExists);
        Assert.Equal("3", read.ETag);
        Assert.Null(read.State.Name);
        // A writer that never saw the record (no ETag) must not take over the cleared one.
        var fresh = new GrainState<ProfileState> { State = new ProfileState { Name = "Mallory" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Alice, fresh));

        read.State = new ProfileState { Name = "Alice again" };
        await _storage.WriteStateAsync(StateName, Alice, read);

        Assert.Equal("4", read.ETag);
        var again = await ReadAsync(Alice);
        Assert.True(again.RecordExists);
        Assert.Equal("Alice again", again.State.Name);
        Assert.Equal("4", again.ETag);
    }

    [Fact]
    public async Task Clear_of_a_record_that_never_existed_does_nothing()
    {
        var state = new GrainState<ProfileState> { State = new ProfileState() };

        await _storage.ClearStateAsync(StateName, Alice, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, await RowCountAsync(_serviceId));
    }

    [Fact]
    public async Task Delete_on_clear_removes_the_row_and_a_later_first_write_succeeds()
    {
        var deleting = Provider(DeletingProvider);
        var state = new GrainState<ProfileState> { State = new ProfileState { Name = "Alice" } };
        await deleting.WriteStateAsync(StateName, Alice, state);
        await deleting.WriteStateAsync(StateName, Alice, state);
        var stale = new GrainState<ProfileState> { ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => deleting.ClearStateAsync(StateName, Alice, stale));

        await deleting.ClearStateAsync(StateName, Alice, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, await RowCountAsync(_serviceId));
        var read = await ReadAsync(Alice, deleting);
        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
        read.State = new ProfileState { Name = "Alice again" };
        await deleting.WriteStateAsync(StateName, Alice, read);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task Different_grain_ids_do_not_see_each_others_rows()
    {
        var alice = await WriteNewAsync(Alice, "Alice", 1);
        await _storage.WriteStateAsync(StateName, Alice, alice);
        await WriteNewAsync(Bob, "Bob", 10);

        var readAlice = await ReadAsync(Alice);
        var readBob = await ReadAsync(Bob);
        Assert.Equal(("Alice", "2"), (readAlice.State.Name, readAlice.ETag));
        Assert.Equal(("Bob", "1"), (readBob.State.Name, readBob.ETag));
    }

    [Fact]
    public async Task Different_service_ids_do_not_see_each_others_rows()
    {
        var other = Provider(OtherServiceProvider);
        var mine = await WriteNewAsync(Alice, "mine", 1);
        await _storage.WriteStateAsync(StateName, Alice, mine);

        var theirs = await ReadAsync(Alice, other);
        Assert.Null(theirs.ETag);
        Assert.False(theirs.RecordExists);

        theirs.State = new ProfileState { Name = "theirs" };
        await other.WriteStateAsync(StateName, Alice, theirs);

        Assert.Equal("1", theirs.ETag);
        var mineAgain = await ReadAsync(Alice);
        Assert.Equal(("mine", "2"), (mineAgain.State.Name, mineAgain.ETag));
        Assert.Equal("theirs", (await ReadAsync(Alice, other)).State.Name);
        Assert.Equal(1, await RowCountAsync(_serviceId));
        Assert.Equal(1, await RowCountAsync(OtherServiceId));
    }

    [Fact]
    public async Task Different_state_names_do_not_see_each_others_rows()
    {
        await WriteNewAsync(Alice, "Alice", 1);

        var other = await ReadAsync(Alice, stateName: "profile");

        Assert.Null(other.ETag);
        Assert.False(other.RecordExists);
    }

    [Fact]
    public async Task Generic_looking_state_names_round_trip_and_differ_by_type_argument()
    {
        const string OfString = "OrleansIm.Tests.Box`1[[System.String, System.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]";
        const string OfInt = "OrleansIm.Tests.Box`1[[System.Int32, System.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]";
        var state = new GrainState<ProfileState> { State = new ProfileState { Name = "box of string" } };

        await _storage.WriteStateAsync(OfString, Alice, state);

        var read = await ReadAsync(Alice, stateName: OfString);
        Assert.Equal("box of string", read.State.Name);
        Assert.Equal("1", read.ETag);
        Assert.False((await ReadAsync(Alice, stateName: OfInt)).RecordExists);
    }

    [Fact]
    public async Task Integer_and_guid_keys_with_and_without_an_extension_keep_separate_rows()
    {
        var guid = Guid.NewGuid().ToString("N");
        GrainId[] ids =
        [
            GrainId.Create("num", "1"),
            GrainId.Create("num", "1+"),
            GrainId.Create("num", "1+x"),
            GrainId.Create("guid", guid),
            GrainId.Create("guid", guid + "+x"),
        ];
        for (var i = 0; i < ids.Length; i++) await WriteNewAsync(ids[i], $"id {i}", i);

        for (var i = 0; i < ids.Length; i++)
        {
            var read = await ReadAsync(ids[i]);
            Assert.Equal(($"id {i}", "1"), (read.State.Name, read.ETag));
        }
    }

    [Fact]
    public async Task Racing_writes_let_exactly_one_through()
    {
        var seed = await WriteNewAsync(Alice, "seed", 0);
        var withEtag = await OutcomesAsync(Enumerable.Range(1, 16).Select(i => _storage.WriteStateAsync(StateName, Alice,
            new GrainState<ProfileState> { State = new ProfileState { Count = i }, ETag = seed.ETag, RecordExists = true })));
        var firstWrites = await OutcomesAsync(Enumerable.Range(1, 16).Select(i => _storage.WriteStateAsync(StateName, Bob,
            new GrainState<ProfileState> { State = new ProfileState { Count = i } })));

        foreach (var outcomes in new[] { withEtag, firstWrites })
        {
            Assert.Single(outcomes, o => o is null);
            Assert.All(outcomes, o => Assert.True(o is null or InconsistentStateException, o?.ToString()));
        }
        Assert.Equal("2", (await ReadAsync(Alice)).ETag);
        Assert.Equal("1", (await ReadAsync(Bob)).ETag);
    }

    [Fact]
    public async Task Schema_steps_apply_once_and_are_safe_to_rerun()
    {
        await using var database = new PostgresDatabase(PostgresTestDatabase.ConnectionString, writerCount: 1);
        var before = await SchemaVersionAsync();

        await database.EnsureSchemaAsync(PostgresGrainStateSchema.Component, PostgresGrainStateSchema.Steps);

        Assert.Equal(PostgresGrainStateSchema.Steps.Count, before.Version);
        Assert.Equal(before, await SchemaVersionAsync());
        // Even run again by hand (a lost version record), every step is harmless.
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
        await connection.OpenAsync();
        foreach (var step in PostgresGrainStateSchema.Steps)
        {
            await using var command = new NpgsqlCommand(step, connection);
            await command.ExecuteNonQueryAsync();
        }
        await WriteNewAsync(Alice, "after rerun", 1);
        Assert.Equal("after rerun", (await ReadAsync(Alice)).State.Name);
    }

    private IGrainStorage Provider(string name) => _host.Services.GetRequiredKeyedService<IGrainStorage>(name);

    private async Task<GrainState<ProfileState>> ReadAsync(GrainId grainId, IGrainStorage? storage = null, string stateName = StateName)
    {
        var state = new GrainState<ProfileState>();
        await (storage ?? _storage).ReadStateAsync(stateName, grainId, state);
        Assert.NotNull(state.State);
        return state;
    }

    private async Task<GrainState<ProfileState>> WriteNewAsync(GrainId grainId, string name, int count)
    {
        var state = new GrainState<ProfileState> { State = new ProfileState { Name = name, Count = count } };
        await _storage.WriteStateAsync(StateName, grainId, state);
        return state;
    }

    private static async Task<Exception?[]> OutcomesAsync(IEnumerable<Task> writes) =>
        await Task.WhenAll(writes.Select(async write =>
        {
            try
            {
                await write;
                return null;
            }
            catch (Exception ex)
            {
                return (Exception?)ex;
            }
        }));

    private static async Task<long> RowCountAsync(string serviceId)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansim_grain_state WHERE service_id = @s", connection);
        command.Parameters.AddWithValue("s", serviceId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(int Version, DateTime UpdatedAt)> SchemaVersionAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version, updated_at FROM orleansim_schema_version WHERE component = @c", connection);
        command.Parameters.AddWithValue("c", PostgresGrainStateSchema.Component);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt32(0), reader.GetDateTime(1));
    }

    /// <summary>
    /// A silo on loopback with three providers on the test database: "Default" under this test's service id, one under
    /// another service id (a keyed <see cref="ClusterOptions"/> overrides it per provider), and one that deletes on clear.
    /// Ports are picked free just before start; another process may grab one in between, so a failed start is retried.
    /// </summary>
    private async Task<IHost> StartSiloAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: _serviceId, clusterId: _serviceId);
                silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
                silo.AddAdoNetGrainStorage("Default", Configure);
                silo.AddAdoNetGrainStorage(OtherServiceProvider, Configure);
                silo.Services.AddKeyedSingleton(OtherServiceProvider, new ClusterOptions { ServiceId = OtherServiceId, ClusterId = _serviceId });
                silo.AddAdoNetGrainStorage(DeletingProvider, options =>
                {
                    Configure(options);
                    options.DeleteStateOnClear = true;
                });
                silo.UseSystemTextJsonGrainStorageSerializer();
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return host;
            }
            catch when (attempt < 3)
            {
                host.Dispose();
            }
        }

        static void Configure(AdoNetGrainStorageOptions options)
        {
            options.Invariant = PostgresGrainStateSchema.Invariant;
            options.ConnectionString = PostgresTestDatabase.ConnectionString;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
