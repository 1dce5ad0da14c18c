using System.Text.RegularExpressions;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>
/// Patterns of the ARM expressions the snapshot keeps for values only known at deployment time (an identity's
/// principal id, a storage endpoint). Matching them proves a value comes from the right resource, whatever API
/// version the template happens to use.
/// </summary>
internal static class ArmExpression
{
    private const string ApiVersion = @"'\d{4}-\d{2}-\d{2}(-preview)?'";

    /// <summary>The whole value is <c>reference(resourceId).property</c>.</summary>
    public static Regex Reference(string resourceId, string property) =>
        new($"^\\[reference\\('{Regex.Escape(resourceId)}', {ApiVersion}\\)\\.{Regex.Escape(property)}\\]$", RegexOptions.CultureInvariant);

    /// <summary><c>reference(resourceId).property</c> appears somewhere inside a larger expression.</summary>
    public static Regex ReferenceInside(string resourceId, string property) =>
        new($"reference\\('{Regex.Escape(resourceId)}', {ApiVersion}\\)\\.{Regex.Escape(property)}", RegexOptions.CultureInvariant);

    /// <summary>The whole value is the template parameter <paramref name="name"/>.</summary>
    public static string Parameter(string name) => $"[parameters('{name}')]";
}
