using System.Globalization;
using System.Text.Json;

namespace ClockSync.FeishuSandbox;

/// <summary>
/// The messages the sandbox accepted, readable by tests like the ledger. A send with a <c>uuid</c> already used by
/// the same app within the window is not stored again and is answered with the first message's id (docs/feishu-contract.md §4c).
/// </summary>
public sealed class SandboxMessages
{
    private readonly Lock _gate = new();
    private readonly List<SandboxMessage> _messages = [];
    private readonly Dictionary<(string AppId, string Uuid), SandboxMessage> _byUuid = [];
    private readonly CountWaiters _waiters = new();
    private long _nextId = 1;

    /// <summary>Number of accepted messages.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>A copy of the accepted messages in arrival order.</summary>
    public IReadOnlyList<SandboxMessage> Snapshot()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> messages are stored: how a test waits for a card
    /// sent in the background without sleeping.</summary>
    public Task WaitForCountAsync(int count, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            signal = _waiters.Add(_messages.Count, count);
        }

        return signal is null ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets every message and every uuid.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _byUuid.Clear();
        }
    }

    /// <summary>Stores a message unless its uuid was used within <paramref name="window"/>; returns the stored (or
    /// first) message and whether it is a repeat.</summary>
    internal (SandboxMessage Stored, bool IsRepeat) Add(
        string appId, string receiveIdType, string receiveId, string msgType, string? uuid, JsonElement content, DateTimeOffset now, TimeSpan window)
    {
        List<TaskCompletionSource> released;
        SandboxMessage stored;
        lock (_gate)
        {
            if (uuid is not null && _byUuid.TryGetValue((appId, uuid), out var first) && now - first.Time < window)
            {
                return (first, true);
            }

            stored = new SandboxMessage
            {
                MessageId = "om_sandbox" + (_nextId++).ToString("x12", CultureInfo.InvariantCulture),
                Time = now,
                AppId = appId,
                ReceiveIdType = receiveIdType,
                ReceiveId = receiveId,
                MsgType = msgType,
                Uuid = uuid,
                Content = content.Clone(),
            };
            _messages.Add(stored);
            if (uuid is not null)
            {
                _byUuid[(appId, uuid)] = stored;
            }

            released = _waiters.Release(_messages.Count);
        }

        foreach (var signal in released)
        {
            signal.TrySetResult();
        }

        return (stored, false);
    }
}
