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
        Assert.Equal(Missing, await ReadAsync(Alice));
    }

    [Fact]
    public async Task Write_then_read_returns_the_state_and_its_etag()
    {
        var written = await WriteAsync(Alice, "Alice", 1, etag: null);

        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);
        Assert.Equal(new Stored("Alice", 1, "1", true), await ReadAsync(Alice));

        written.State = new ProfileState { Name = "Alice", Count = 2 };
        await _storage.WriteStateAsync(StateName, Alice, written);

        Assert.Equal("2", written.ETag);
        Assert.Equal(new Stored("Alice", 2, "2", true), await ReadAsync(Alice));
    }

    [Fact]
    public async Task Write_with_a_stale_etag_throws_and_changes_nothing()
    {
        await WriteAsync(Alice, "Alice", 1, etag: null);
        await WriteAsync(Alice, "Alice", 2, etag: "1");

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Alice, "Mallory", 0, etag: "1"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Alice, "Mallory", 0, etag: "7"));

        Assert.Equal(new Stored("Alice", 2, "2", true), await ReadAsync(Alice));
    }

    [Fact]
    public async Task Write_without_an_etag_over_an_existing_record_throws()
    {
        await WriteAsync(Alice, "Alice", 1, etag: null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Alice, "Mallory", 0, etag: null));

        Assert.Equal(new Stored("Alice", 1, "1", true), await ReadAsync(Alice));
    }

    [Fact]
    public async Task Clear_leaves_a_versioned_empty_record_that_a_write_with_its_etag_replaces()
    {
        await WriteAsync(Alice, "Alice", 1, etag: null);
        await WriteAsync(Alice, "Alice", 2, etag: "1");
        await Assert.ThrowsAsync<InconsistentStateException>(() => ClearAsync(Alice, etag: "1"));

        var cleared = await ClearAsync(Alice, etag: "2");

        // DeleteStateOnClear = false (the default): the row stays, its version moves on and is still the ETag.
        Assert.Equal("3", cleared.ETag);
        Assert.False(cleared.RecordExists);
        Assert.Equal(1, await RowCountAsync(_serviceId));
        var read = await ReadAsync(Alice);
        Assert.Equal(Missing with { ETag = "3" }, read);
        // A writer that never saw the record (no ETag) must not take over the cleared one.
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Alice, "Mallory", 0, etag: null));

        var rewritten = await WriteAsync(Alice, "Alice again", 3, etag: read.ETag);

        Assert.Equal("4", rewritten.ETag);
        Assert.Equal(new Stored("Alice again", 3, "4", true), await ReadAsync(Alice));
    }

    [Fact]
    public async Task Clear_of_a_record_that_never_existed_does_nothing()
    {
        var cleared = await ClearAsync(Alice, etag: null);

        Assert.Null(cleared.ETag);
        Assert.False(cleared.RecordExists);
        Assert.Equal(0, await RowCountAsync(_serviceId));
    }

    [Fact]
    public async Task Delete_on_clear_removes_the_row_and_a_later_first_write_succeeds()
    {
        var deleting = Provider(DeletingProvider);
        await WriteAsync(Alice, "Alice", 1, etag: null, deleting);
        await WriteAsync(Alice, "Alice", 2, etag: "1", deleting);
        await Assert.ThrowsAsync<InconsistentStateException>(() => ClearAsync(Alice, etag: "1", deleting));

        var deleted = await ClearAsync(Alice, etag: "2", deleting);

        Assert.Null(deleted.ETag);
        Assert.False(deleted.RecordExists);
        Assert.Equal(0, await RowCountAsync(_serviceId));
        Assert.Equal(Missing, await ReadAsync(Alice, deleting));
        Assert.Equal("1", (await WriteAsync(Alice, "Alice again", 3, etag: null, deleting)).ETag);
    }

    [Fact]
    public async Task Different_grain_ids_do_not_see_each_others_rows()
    {
        await WriteAsync(Alice, "Alice", 1, etag: null);
        await WriteAsync(Alice, "Alice", 2, etag: "1");
        await WriteAsync(Bob, "Bob", 10, etag: null);

        Assert.Equal(new Stored("Alice", 2, "2", true), await ReadAsync(Alice));
        Assert.Equal(new Stored("Bob", 10, "1", true), await ReadAsync(Bob));
    }

    [Fact]
    public async Task Different_service_ids_do_not_see_each_others_rows()
    {
        var other = Provider(OtherServiceProvider);
        await WriteAsync(Alice, "mine", 1, etag: null);
        await WriteAsync(Alice, "mine", 2, etag: "1");

        Assert.Equal(Missing, await ReadAsync(Alice, other));

        await WriteAsync(Alice, "theirs", 1, etag: null, other);

        Assert.Equal(new Stored("mine", 2, "2", true), await ReadAsync(Alice));
        Assert.Equal(new Stored("theirs", 1, "1", true), await ReadAsync(Alice, other));
        Assert.Equal(1, await RowCountAsync(_serviceId));
        Assert.Equal(1, await RowCountAsync(OtherServiceId));
    }

    [Fact]
    public async Task Different_state_names_do_not_see_each_others_rows()
    {
        await WriteAsync(Alice, "Alice", 1, etag: null);

        Assert.Equal(Missing, await ReadAsync(Alice, stateName: "profile"));
    }

    [Fact]
    public async Task Generic_looking_state_names_round_trip_and_differ_by_type_argument()
    {
        const string OfString = "OrleansIm.Tests.Box`1[[System.String, System.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]";
        const string OfInt = "OrleansIm.Tests.Box`1[[System.Int32, System.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]";

        await WriteAsync(Alice, "box of string", 1, etag: null, stateName: OfString);

        Assert.Equal(new Stored("box of string", 1, "1", true), await ReadAsync(Alice, stateName: OfString));
        Assert.Equal(Missing, await ReadAsync(Alice, stateName: OfInt));
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
        for (var i = 0; i < ids.Length; i++) await WriteAsync(ids[i], $"id {i}", i, etag: null);

        for (var i = 0; i < ids.Length; i++) Assert.Equal(new Stored($"id {i}", i, "1", true), await ReadAsync(ids[i]));
    }

    [Fact]
    public async Task Racing_writes_let_exactly_one_through()
    {
        await WriteAsync(Alice, "seed", 0, etag: null);

        var withEtag = await OutcomesAsync(Enumerable.Range(1, 16).Select(i => WriteAsync(Alice, "racer", i, etag: "1")));
        var firstWrites = await OutcomesAsync(Enumerable.Range(1, 16).Select(i => WriteAsync(Bob, "racer", i, etag: null)));

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
        await WriteAsync(Alice, "after rerun", 1, etag: null);
        Assert.Equal(new Stored("after rerun", 1, "1", true), await ReadAsync(Alice));
    }

    [Fact]
    public async Task The_raw_provider_folds_number_like_keys_so_the_product_wraps_it()
    {
        // Why UnambiguousKeyGrainStorage exists: the provider reads "abc" and "0ABC" as the same integer key.
        await WriteAsync(GrainId.Create("user", "abc"), "first", 1, etag: null);
        var clash = await ReadAsync(GrainId.Create("user", "0ABC"));
        Assert.Equal("first", clash.Name);
    }

    [Fact]
    public async Task Wrapped_storage_keeps_case_number_like_keys_and_grain_types_apart()
    {
        var storage = new UnambiguousKeyGrainStorage(_storage);
        GrainId[] ids = [GrainId.Create("user", "abc"), GrainId.Create("user", "ABC"), GrainId.Create("user", "0abc"),
                         GrainId.Create("user", "12"), GrainId.Create("user", "012"), GrainId.Create("room", "abc"),
                         GrainId.Create("conversation", "0123456789abcdef0123456789abcdef")];
        for (var i = 0; i < ids.Length; i++) await WriteAsync(ids[i], $"n{i}", i, etag: null, storage);
        for (var i = 0; i < ids.Length; i++)
            Assert.Equal(new Stored($"n{i}", i, "1", true), await ReadAsync(ids[i], storage));
        Assert.Equal(ids.Length, await RowCountAsync(_serviceId));
    }

    private IGrainStorage Provider(string name) => _host.Services.GetRequiredKeyedService<IGrainStorage>(name);

    /// <summary>What a read reports, flattened so that one assertion compares all of it.</summary>
    private sealed record Stored(string? Name, int Count, string? ETag, bool RecordExists);

    private static readonly Stored Missing = new(null, 0, null, false);

    private async Task<Stored> ReadAsync(GrainId grainId, IGrainStorage? storage = null, string stateName = StateName)
    {
        var state = new GrainState<ProfileState>();
        await (storage ?? _storage).ReadStateAsync(stateName, grainId, state);
        Assert.NotNull(state.State);
        return new Stored(state.State.Name, state.State.Count, state.ETag, state.RecordExists);
    }

    /// <summary>Writes as a grain holding <paramref name="etag"/> would; returns the state with the new ETag.</summary>
    private async Task<GrainState<ProfileState>> WriteAsync(
        GrainId grainId, string name, int count, string? etag, IGrainStorage? storage = null, string stateName = StateName)
    {
        var state = new GrainState<ProfileState>
        {
            State = new ProfileState { Name = name, Count = count },
            ETag = etag,
            RecordExists = etag is not null,
        };
        await (storage ?? _storage).WriteStateAsync(stateName, grainId, state);
        return state;
    }

    private async Task<GrainState<ProfileState>> ClearAsync(GrainId grainId, string? etag, IGrainStorage? storage = null)
    {
        var state = new GrainState<ProfileState> { State = new ProfileState(), ETag = etag, RecordExists = etag is not null };
        await (storage ?? _storage).ClearStateAsync(StateName, grainId, state);
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
