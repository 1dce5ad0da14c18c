using Azure.Storage.Blobs;
using ClockSync.Punches;
using ClockSync.Storage;
using Microsoft.Extensions.Configuration;

namespace ClockSync.Pipeline;

/// <summary>
/// The optional clock key → Feishu id mapping, from the blob named by <c>ClockSync:Punches:IdMappingBlob</c>
/// (<c>container/path</c>), read at every ingest so an edited mapping applies to the next file.
/// </summary>
public sealed class IdMappingSource(PipelineStorage storage, IConfiguration configuration)
{
    public const string SettingKey = "ClockSync:Punches:IdMappingBlob";

    /// <summary>The stamp of "no mapping configured" (<see cref="StampAsync"/>).</summary>
    public const string NoMapping = "none";

    public async Task<IdMapping?> LoadAsync(CancellationToken cancellationToken)
    {
        if (Blob() is not { } blob)
        {
            return null;
        }

        var content = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        await using (content)
        {
            return IdMapping.Load(content, configuration[SettingKey]!);
        }
    }

    /// <summary>
    /// What identifies the mapping's current content: the blob's ETag (every upload changes it), or
    /// <see cref="NoMapping"/>. A different stamp than last time means held punches may map to other ids now.
    /// </summary>
    public async Task<string> StampAsync(CancellationToken cancellationToken)
    {
        if (Blob() is not { } blob)
        {
            return NoMapping;
        }

        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return properties.Value.ETag.ToString();
    }

    private BlobClient? Blob()
    {
        var path = configuration[SettingKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw new InvalidOperationException($"{SettingKey} must be 'container/path', not '{path}'.");
        }

        return storage.Blobs.GetBlobContainerClient(path[..slash]).GetBlobClient(path[(slash + 1)..]);
    }
}
