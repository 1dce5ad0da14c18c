using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Secrets;

/// <summary>
/// Reads secrets from one Key Vault through <see cref="SecretClient"/> and caches each value for
/// <see cref="KeyVaultOptions.CacheTtl"/>.
/// <list type="bullet">
/// <item>One read per name is in flight at a time; concurrent callers share it (a burst of queue messages after a
/// cold start asks the vault once, not once per message).</item>
/// <item><c>forceRefresh</c> re-reads regardless of age; the Feishu client uses it after an auth failure so a
/// rotated secret is picked up without a restart. A forced call that arrives while a read is already in flight shares
/// that read rather than starting a second one.</item>
/// <item>Stale rule: when a TTL-driven refresh fails for a transient reason (network, timeout, 429, 5xx), the cached
/// value is still served — with a warning — until it is two TTLs old (one more TTL than normal), after which the
/// failure is thrown. A forced refresh never falls back to the cached value: the caller has just been told that
/// value is wrong. A permanent failure (403, 404, disabled, empty) drops the cached value at once: access was revoked
/// or the secret removed on purpose, and serving it on would hide that.</item>
/// </list>
/// Values never reach logs or exception messages; only secret names, versions and the vault URI do.
/// </summary>
public sealed partial class KeyVaultSecretProvider
{
    private readonly SecretClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<KeyVaultSecretProvider> _logger;
    private readonly TimeSpan _ttl;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public KeyVaultSecretProvider(
        SecretClient client,
        IOptions<KeyVaultOptions> options,
        TimeProvider timeProvider,
        ILogger<KeyVaultSecretProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        _ttl = options.Value.CacheTtl;
    }

    public Uri VaultUri => _client.VaultUri;

    /// <summary>How long after a fetch a cached value may still be served while the vault cannot be reached.</summary>
    public TimeSpan StaleLimit => _ttl * 2;

    /// <summary>Gets the current value of the named secret, from the cache when it is younger than the TTL.</summary>
    /// <exception cref="SecretUnavailableException">The secret cannot be read and no usable cached value exists.</exception>
    public async ValueTask<SecretText> GetSecretAsync(string name, bool forceRefresh = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();

        Task<SecretText> fetch;
        TaskCompletionSource<SecretText>? ownFetch = null;
        lock (_gate)
        {
            if (!_slots.TryGetValue(name, out var slot))
            {
                slot = new Slot();
                _slots.Add(name, slot);
            }

            if (!forceRefresh && slot.Cached is { } cached && AgeOf(cached) < _ttl)
            {
                return cached.Value;
            }

            if (slot.InFlight is null)
            {
                ownFetch = new TaskCompletionSource<SecretText>(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.InFlight = ownFetch.Task;
            }

            fetch = slot.InFlight;
        }

        if (ownFetch is not null)
        {
            // The read is shared, so one caller giving up must not cancel it for the others. It cannot hang:
            // the SecretClient's retry policy and network timeout bound it.
            _ = FetchAsync(name, ownFetch);
        }

        try
        {
            return await fetch.WaitAsync(cancellationToken);
        }
        catch (SecretUnavailableException failure) when (failure.IsTransient && !forceRefresh && TryGetStale(name, out var stale))
        {
            LogServingStale(_logger, failure, name, stale.Version, AgeOf(stale), StaleLimit);
            return stale.Value;
        }
    }

    private async Task FetchAsync(string name, TaskCompletionSource<SecretText> completion)
    {
        try
        {
            var secret = (await _client.GetSecretAsync(name, version: null, CancellationToken.None)).Value;
            var value = Validate(name, secret);
            lock (_gate)
            {
                var slot = _slots[name];
                slot.Cached = new CachedSecret(value, secret.Properties.Version, _timeProvider.GetUtcNow());
                slot.InFlight = null;
            }

            LogFetched(_logger, name, secret.Properties.Version, _client.VaultUri);
            completion.SetResult(value);
        }
#pragma warning disable CA1031 // Every failure is translated into SecretUnavailableException for all waiting callers.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var failure = exception as SecretUnavailableException ?? SecretFailureClassifier.Classify(_client.VaultUri, name, exception);
            lock (_gate)
            {
                var slot = _slots[name];
                slot.InFlight = null;
                if (!failure.IsTransient)
                {
                    slot.Cached = null;
                }
            }

            // Transient failures are expected to pass; anything else needs an operator.
            LogFailed(_logger, failure.IsTransient ? LogLevel.Warning : LogLevel.Error, failure, name, failure.Reason, _client.VaultUri);
            completion.SetException(failure);

            // Every waiting caller may have given up already; reading Exception marks the fault observed so it is
            // not reported again as an unobserved task exception.
            _ = completion.Task.Exception;
        }
    }

    private SecretText Validate(string name, KeyVaultSecret secret)
    {
        if (!secret.Properties.Enabled.GetValueOrDefault(true))
        {
            throw SecretFailureClassifier.Disabled(_client.VaultUri, name, innerException: null);
        }

        if (string.IsNullOrWhiteSpace(secret.Value))
        {
            throw new SecretUnavailableException(
                _client.VaultUri,
                name,
                SecretUnavailableReason.Empty,
                isTransient: false,
                $"Key Vault secret '{name}' in {_client.VaultUri} is empty. Set a value for it, e.g. " +
                $"'az keyvault secret set --vault-name <vault> --name {name} --file <file>'.");
        }

        return new SecretText(secret.Value);
    }

    private bool TryGetStale(string name, out CachedSecret stale)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(name, out var slot) && slot.Cached is { } cached && AgeOf(cached) < StaleLimit)
            {
                stale = cached;
                return true;
            }
        }

        stale = null!;
        return false;
    }

    private TimeSpan AgeOf(CachedSecret cached) => _timeProvider.GetUtcNow() - cached.FetchedAt;

    [LoggerMessage(Level = LogLevel.Information, Message = "Read Key Vault secret {SecretName} (version {SecretVersion}) from {VaultUri}")]
    private static partial void LogFetched(ILogger logger, string secretName, string? secretVersion, Uri vaultUri);

    [LoggerMessage(Message = "Key Vault secret {SecretName} could not be read from {VaultUri}: {Reason}")]
    private static partial void LogFailed(ILogger logger, LogLevel level, Exception exception, string secretName, SecretUnavailableReason reason, Uri vaultUri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serving the cached value of Key Vault secret {SecretName} (version {SecretVersion}, fetched {Age} ago) because the vault could not be reached; it is served for at most {StaleLimit} after it was fetched")]
    private static partial void LogServingStale(ILogger logger, Exception exception, string secretName, string? secretVersion, TimeSpan age, TimeSpan staleLimit);

    private sealed class Slot
    {
        public CachedSecret? Cached { get; set; }

        public Task<SecretText>? InFlight { get; set; }
    }

    private sealed record CachedSecret(SecretText Value, string? Version, DateTimeOffset FetchedAt);
}
