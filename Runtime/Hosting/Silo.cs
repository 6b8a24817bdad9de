using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansIm.Runtime.Catalog;
using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Observers;
using OrleansIm.Runtime.Serialization;

namespace OrleansIm.Runtime.Hosting;

/// <summary>
/// One silo: wires the runtime pieces together (interfaces → serializer → callbacks → message center →
/// catalog and object registry → grain factory) and runs idle collection.
/// </summary>
internal sealed class Silo : IDisposable
{
    private Timer? _collector;

    public Silo(IServiceProvider services, IOptions<SiloOptions> options, GrainAssemblyList assemblies)
    {
        Options = options.Value;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("OrleansIm.Runtime") ?? NullLogger.Instance;
        Interfaces = new GrainInterfaceRegistry();
        GrainFactory? factory = null;
        Serializer = new MessageSerializer((type, id) => factory!.CreateReference(type, id));
        Callbacks = new CallbackTable(Serializer, Options.ResponseTimeout);
        MessageCenter = new MessageCenter(Options.SiloId, Callbacks, Serializer, logger);
        Objects = new LocalObjectRegistry(Options.SiloId, Interfaces, Serializer, MessageCenter);
        Client = new RuntimeClient(MessageCenter, Callbacks, Serializer, Options.ResponseTimeout);
        factory = new GrainFactory(Interfaces, Client, Objects);
        GrainFactory = factory;
        Classes = new GrainClassRegistry(assemblies.Assemblies, Interfaces);
        Catalog = new GrainCatalog(Options, services, Classes, Interfaces, Serializer, MessageCenter, factory, logger);
        MessageCenter.Catalog = Catalog;
        MessageCenter.Objects = Objects;
    }

    public SiloOptions Options { get; }
    public GrainInterfaceRegistry Interfaces { get; }
    public MessageSerializer Serializer { get; }
    public CallbackTable Callbacks { get; }
    public MessageCenter MessageCenter { get; }
    public LocalObjectRegistry Objects { get; }
    public RuntimeClient Client { get; }
    public GrainClassRegistry Classes { get; }
    public GrainCatalog Catalog { get; }
    public IGrainFactory GrainFactory { get; }

    public void Start()
    {
        _collector = new Timer(_ => Catalog.CollectIdle(), null, Options.CollectionQuantum, Options.CollectionQuantum);
    }

    public async Task StopAsync()
    {
        if (_collector is not null) await _collector.DisposeAsync();
        await Catalog.DeactivateAllAsync(Options.DeactivationTimeout);
    }

    public void Dispose()
    {
        _collector?.Dispose();
        Callbacks.Dispose();
    }
}
