namespace LaporBot.Conversations;

internal sealed class ConversationOptions
{
    public const string Section = "Conversations";

    /// <summary>Folder holding the dialog files; relative paths are tried from the app folder, then the current folder.</summary>
    public string DialogsDirectory { get; set; } = "dialogs";

    /// <summary>The dialog citizens talk to.</summary>
    public string Dialog { get; set; } = "lapor";

    /// <summary>An unfinished form older than this is dropped (with a message) on the next contact.</summary>
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longer messages are refused with the limit, so nothing is silently cut.</summary>
    public int MaxMessageLength { get; set; } = 2000;
}
