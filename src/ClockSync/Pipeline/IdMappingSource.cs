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

    public async Task<IdMapping?> LoadAsync(CancellationToken cancellationToken)
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

        BlobClient blob = storage.Blobs.GetBlobContainerClient(path[..slash]).GetBlobClient(path[(slash + 1)..]);
        var content = await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            return IdMapping.Load(content, path);
        }
    }
}
