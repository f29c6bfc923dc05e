using System.Collections.Concurrent;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>Everything one execution shares: schema, operation, variables, caller context, errors and loaders.</summary>
internal sealed class RequestContext
{
    private readonly List<GraphQLError> _errors = [];
    private readonly ConcurrentDictionary<string, object> _loaders = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, object?>? _items;

    public RequestContext(Schema schema, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables, ExecutionRequest request, BatchScheduler batches, CancellationToken cancellationToken)
    {
        Schema = schema;
        Document = document;
        Operation = operation;
        Variables = variables;
        UserContext = request.UserContext;
        Services = request.Services;
        RootValue = request.RootValue;
        Options = request.Options;
        Batches = batches;
        CancellationToken = cancellationToken;
        Fragments = new Dictionary<string, FragmentDefinitionNode>(StringComparer.Ordinal);
        foreach (var d in document.Definitions)
        {
            if (d is FragmentDefinitionNode f)
            {
                Fragments.TryAdd(f.FragmentName.Value, f);
            }
        }

        Collector = new FieldCollector(this);
    }

    public Schema Schema { get; }

    public DocumentNode Document { get; }

    public OperationDefinitionNode Operation { get; }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    public object? UserContext { get; }

    public IServiceProvider? Services { get; }

    public object? RootValue { get; }

    public ExecutionOptions Options { get; }

    public BatchScheduler Batches { get; }

    public CancellationToken CancellationToken { get; }

    public Dictionary<string, FragmentDefinitionNode> Fragments { get; }

    public FieldCollector Collector { get; }

    public IDictionary<string, object?> Items => _items ??= new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);

    public void AddError(GraphQLError error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    public List<GraphQLError> TakeErrors()
    {
        lock (_errors)
        {
            return [.. _errors];
        }
    }

    public DataLoader<TKey, TValue> GetDataLoader<TKey, TValue>(string name, BatchLoader<TKey, TValue> batch)
        where TKey : notnull =>
        (DataLoader<TKey, TValue>)_loaders.GetOrAdd(name, _ => new DataLoader<TKey, TValue>(batch, Batches, CancellationToken));
}
