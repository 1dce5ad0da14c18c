using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// Which import is the current one of a blob name (PartitionKey = <c>blob-</c> and a hash of <c>{container}/{name}</c>,
/// RowKey = <see cref="RowKeyValue"/>). A run moves it to its own import only while its version is the blob's current
/// one, so it only ever moves forward; the import it replaces is the one the run adopts (<see cref="ImportStore.AdoptPreviousAsync"/>).
/// </summary>
public sealed class BlobCurrentImportEntity : ITableEntity
{
    public const string RowKeyValue = "current";

    private const string PartitionPrefix = "blob-";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary><c>{container}/{name}</c>, for whoever reads the table by hand (the key is a hash: names may hold characters keys may not).</summary>
    public string Blob { get; set; } = string.Empty;

    public string ImportId { get; set; } = string.Empty;

    public static string PartitionKeyFor(string blob) =>
        PartitionPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blob)).AsSpan(0, 16));
}
