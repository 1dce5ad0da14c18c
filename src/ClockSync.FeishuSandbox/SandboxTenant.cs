using System.Security.Cryptography;

namespace ClockSync.FeishuSandbox;

/// <summary>
/// The tenant the sandbox plays: its custom apps, its users, the tenant tokens it issued, and the behaviour switches.
/// Thread-safe; tests change it while clients run.
/// </summary>
public sealed class SandboxTenant
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _tokenLifetime;
    private readonly TimeSpan _tokenReuseMinimumRemaining;
    private readonly Dictionary<string, string> _apps;
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _currentTokenByApp = new(StringComparer.Ordinal);
    private HashSet<string>? _employeeIds;
    private HashSet<string>? _employeeNos;
    private volatile SandboxBehaviour _behaviour;
    private int _tokensIssued;

    internal SandboxTenant(SandboxSettings settings)
    {
        _time = settings.TimeProvider;
        _tokenLifetime = settings.TokenLifetime;
        _tokenReuseMinimumRemaining = settings.TokenReuseMinimumRemaining;
        _apps = new Dictionary<string, string>(settings.Apps, StringComparer.Ordinal);
        if (settings.KnownUsers is { } users)
        {
            _employeeIds = new HashSet<string>(users.EmployeeIds, StringComparer.Ordinal);
            _employeeNos = new HashSet<string>(users.EmployeeNos, StringComparer.Ordinal);
        }

        _behaviour = settings.Behaviour;
    }

    /// <summary>The readings of the contract in force; replace it (<c>with { … }</c>) to switch at run time.</summary>
    public SandboxBehaviour Behaviour
    {
        get => _behaviour;
        set => _behaviour = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Whether any user id is accepted (no known-user sets configured).</summary>
    public bool AcceptsAnyUser
    {
        get
        {
            lock (_gate)
            {
                return _employeeIds is null;
            }
        }
    }

    /// <summary>How many distinct tokens were issued (a reused token counts once).</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Adds an app or changes its secret (a rotation: tokens already issued stay valid).</summary>
    public void SetApp(string appId, string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        lock (_gate)
        {
            _apps[appId] = appSecret;
        }
    }

    /// <summary>Makes users known under an employee type (<c>employee_id</c> or <c>employee_no</c>). The first call
    /// on a sandbox that accepts any user starts the known-user sets.</summary>
    public void AddUsers(string employeeType, params IEnumerable<string> userIds)
    {
        lock (_gate)
        {
            _employeeIds ??= new HashSet<string>(StringComparer.Ordinal);
            _employeeNos ??= new HashSet<string>(StringComparer.Ordinal);
            UsersOf(employeeType).UnionWith(userIds);
        }
    }

    /// <summary>Makes users unknown under an employee type.</summary>
    public void RemoveUsers(string employeeType, params IEnumerable<string> userIds)
    {
        lock (_gate)
        {
            _employeeIds ??= new HashSet<string>(StringComparer.Ordinal);
            _employeeNos ??= new HashSet<string>(StringComparer.Ordinal);
            UsersOf(employeeType).ExceptWith(userIds);
        }
    }

    /// <summary>Revokes every token issued so far; the next token request issues a new one.</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            foreach (var (text, token) in _tokens)
            {
                _tokens[text] = token with { Revoked = true };
            }

            _currentTokenByApp.Clear();
        }
    }

    /// <summary>Whether the user is known under the employee type.</summary>
    public bool IsKnownUser(string employeeType, string userId)
    {
        lock (_gate)
        {
            return _employeeIds is null || UsersOf(employeeType).Contains(userId);
        }
    }

    internal static bool IsEmployeeType(string? employeeType) => employeeType is EmployeeTypes.EmployeeId or EmployeeTypes.EmployeeNo;

    /// <summary>Checks app credentials (docs/feishu-contract.md §1).</summary>
    internal CredentialCheck CheckCredentials(string appId, string appSecret)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out var secret))
            {
                return CredentialCheck.UnknownApp;
            }

            // Fixed-time comparison: the sandbox doubles as a pattern for code that compares secrets.
            return CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(appSecret))
                ? CredentialCheck.Valid
                : CredentialCheck.WrongSecret;
        }
    }

    /// <summary>
    /// The token for an app (docs/feishu-contract.md §1): the current one while more than the reuse minimum remains, else a new one;
    /// the old one stays valid until it expires.
    /// </summary>
    internal (string Token, TimeSpan ExpiresIn) IssueToken(string appId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_currentTokenByApp.TryGetValue(appId, out var currentText)
                && _tokens.TryGetValue(currentText, out var current)
                && !current.Revoked
                && current.ExpiresAt - now > _tokenReuseMinimumRemaining)
            {
                return (currentText, current.ExpiresAt - now);
            }

            var text = "t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
            _tokens[text] = new IssuedToken(appId, now + _tokenLifetime, Revoked: false);
            _currentTokenByApp[appId] = text;
            _tokensIssued++;
            return (text, _tokenLifetime);
        }
    }

    /// <summary>The app a bearer token belongs to, if it is issued, not revoked and not expired.</summary>
    internal string? ValidateToken(string token)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var issued) && !issued.Revoked && now < issued.ExpiresAt ? issued.AppId : null;
        }
    }

    private HashSet<string> UsersOf(string employeeType) => employeeType switch
    {
        EmployeeTypes.EmployeeId => _employeeIds!,
        EmployeeTypes.EmployeeNo => _employeeNos!,
        _ => throw new ArgumentException($"employee_type must be '{EmployeeTypes.EmployeeId}' or '{EmployeeTypes.EmployeeNo}'.", nameof(employeeType)),
    };

    private sealed record IssuedToken(string AppId, DateTimeOffset ExpiresAt, bool Revoked);
}

/// <summary>The two values of the <c>employee_type</c> query parameter (docs/feishu-contract.md §2).</summary>
public static class EmployeeTypes
{
    /// <summary>The user ID shown in the admin console.</summary>
    public const string EmployeeId = "employee_id";

    /// <summary>The employee number (工号).</summary>
    public const string EmployeeNo = "employee_no";
}

internal enum CredentialCheck
{
    Valid,
    UnknownApp,
    WrongSecret,
}
