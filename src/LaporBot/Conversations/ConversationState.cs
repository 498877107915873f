using System.Text.Json;
using System.Text.Json.Serialization;
using LaporBot.Channels;

namespace LaporBot.Conversations;

/// <summary>
/// Where one citizen is in a dialog. Stored as JSON per conversation so a form survives a restart;
/// the engine never mutates the instance it is given.
/// </summary>
internal sealed class ConversationState
{
    public string Step { get; set; } = "";
    public string Language { get; set; } = "id";
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Refused answers in a row for the current step.</summary>
    public int Attempts { get; set; }
    /// <summary>Waiting for yes/no on the provider-supplied display name.</summary>
    public bool Offering { get; set; }
    public bool OfferDeclined { get; set; }
    /// <summary>After a correction ("ubah alamat") go back here instead of the step's next.</summary>
    public string? ReturnTo { get; set; }
    public GeoPoint? Location { get; set; }
    public List<InboundAttachment> Attachments { get; set; } = [];
    public bool Confidential { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The earlier case this exchange is about (the rating reason, a returned case being completed).</summary>
    public string? Case { get; set; }
    /// <summary>Why the triage desk returned <see cref="Case"/>, shown in its summary.</summary>
    public string? CaseReason { get; set; }
    /// <summary>A message held while the citizen says what it is for (clarifying question); never forwarded unasked.</summary>
    public string? Pending { get; set; }
    /// <summary>The case numbers offered in the clarifying question.</summary>
    public List<string>? Options { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ConversationState FromJson(string json) =>
        JsonSerializer.Deserialize<ConversationState>(json, Json) ?? throw new JsonException("empty conversation state");

    public ConversationState Clone() => FromJson(ToJson());
}
