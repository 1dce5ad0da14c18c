using System.Security.Cryptography;
using System.Text;

namespace ClockSync.Pipeline;

/// <summary>
/// An import's id: the first 16 bytes of SHA-256 over <c>{container}/{name}|{etag}</c> as 32 lowercase hex digits.
/// The same blob version always gets the same id (a redelivery resumes or no-ops); a new version gets a new one.
/// </summary>
public static class ImportIds
{
    public static string For(string container, string blobName, string etag)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{blobName}|{etag}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }
}
