namespace LaporBot.Conversations;

/// <summary>
/// One name per status, everywhere: the bot's replies, staff messages, the status page, recaps and
/// /lacak all read the names in the citizen dialog's <c>statuses:</c> (dialogs/lapor.yaml), so a
/// citizen and the official handling the case call a status the same thing. Set when the dialogs
/// are loaded at start-up (the file is the same for every app in a process); tools and tests that
/// never load them get the shipped file on first use.
/// </summary>
internal static class StatusVocabulary
{
    private static DialogDefinition? _dialog;

    public static void Use(DialogDefinition dialog) => _dialog = dialog;

    private static DialogDefinition Dialog => _dialog ??=
        new DialogLoader(ValidatorRegistry.Default).LoadDirectory(DialogCatalog.ResolveDirectory("dialogs", AppContext.BaseDirectory))["lapor"];

    /// <summary>The status's name ("Sudah dijawab"); the Indonesian one unless asked otherwise.</summary>
    public static string Name(string status, string language = "id") => Dialog.StatusLabel(status, language);

    /// <summary>Whether the dialog names this status (every stored status must be named).</summary>
    public static bool IsNamed(string status) => Dialog.Statuses.ContainsKey(status);
}
