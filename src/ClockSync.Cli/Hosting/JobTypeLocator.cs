using Microsoft.Azure.WebJobs;

namespace ClockSync.Cli.Hosting;

/// <summary>Hands the indexer exactly the three job classes, instead of scanning every loaded assembly.</summary>
internal sealed class JobTypeLocator(IReadOnlyList<Type> types) : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => types;
}
