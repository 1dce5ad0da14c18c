using System.ComponentModel.DataAnnotations;

namespace ClockSync.Notify;

/// <summary>
/// Where ClockSync's Feishu cards go, bound from <c>ClockSync:Notify</c> and validated at start-up. An empty
/// <see cref="ChatId"/> (the default) turns cards off: nothing is sent and no marker is read or written.
/// </summary>
public sealed class NotifyOptions
{
    public const string SectionName = "ClockSync:Notify";

    /// <summary>The receiver of the cards: a group chat id (<c>oc_…</c>) by default, or a user's id or address as
    /// <see cref="ReceiveIdType"/> says. The app's bot must be a member of the chat.</summary>
    public string ChatId { get; set; } = "";

    /// <summary>What <see cref="ChatId"/> is: <c>chat_id</c>, <c>open_id</c>, <c>user_id</c> or <c>email</c>.</summary>
    [Required]
    [RegularExpression("^(chat_id|open_id|user_id|email)$", ErrorMessage = "ReceiveIdType must be 'chat_id', 'open_id', 'user_id' or 'email'.")]
    public string ReceiveIdType { get; set; } = "chat_id";

    /// <summary>The shortest time between two parked-batch digests: parked batches are gathered into one card rather
    /// than one card each.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ParkedDigestInterval { get; set; } = TimeSpan.FromMinutes(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(ChatId);
}
