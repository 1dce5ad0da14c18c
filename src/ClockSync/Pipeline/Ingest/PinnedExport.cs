using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// The one blob version a run ingests: every read is pinned to its ETag, so an overwrite or delete mid-read fails the
/// read (412/404) instead of mixing two versions.
/// </summary>
internal sealed class PinnedExport(BlobClient blob, BlobProperties properties)
{
    /// <summary>
    /// The export is downloaded in chunks of this size as the reader needs them. Nothing is sent before the first group
    /// is read, and with the SDK's 4 MiB default a whole 100,000-punch export arrived before its first line could be.
    /// </summary>
    private const int ReadChunkBytes = 1 << 20;

    public BlobClient Blob => blob;

    public BlobProperties Properties => properties;

    public string Name => blob.Name;

    /// <summary>The container and name, as the <c>Imports</c> row and the report record it.</summary>
    public string Path => $"{blob.BlobContainerName}/{blob.Name}";

    /// <summary>Opens a read of this version from the start.</summary>
    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
        {
            BufferSize = ReadChunkBytes,
            Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
        }, cancellationToken);

    /// <summary>Whether this version is still the blob's current one (false once overwritten or deleted).</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties current = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return current.ETag == properties.ETag;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The pinned read failed because the version is gone (412: overwritten, 404: deleted), however the reader wrapped it.</summary>
    public static bool Changed(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RequestFailedException { Status: 412 or 404 })
            {
                return true;
            }
        }

        return false;
    }

    public static string ChangedReason(long lines) =>
        lines == 0
            ? "the blob was overwritten or deleted before it could be read"
            : $"the blob was overwritten or deleted while it was read (after line {lines})";
}
