using System.Collections.Concurrent;
using Azure.Core;

namespace ClockSync.IntegrationTests.Secrets;

/// <summary>
/// Stands in for Entra ID (not for Key Vault): hands out a fixed bearer token and records what it was asked for,
/// so tests can assert the scope and tenant the SecretClient derived from the vault's challenge.
/// </summary>
internal sealed class RecordingTokenCredential : TokenCredential
{
    public const string Token = "local-vault-test-token";

    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();

    public IReadOnlyList<TokenRequestContext> Requests => [.. _requests];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        return new AccessToken(Token, TimeProvider.System.GetUtcNow().AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
