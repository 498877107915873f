using System.Text.Json.Serialization;

// Webhook payload types for the WhatsApp Cloud API, only the fields LaporBot reads.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
// (docs/PROTOCOLS.md §3.3). Everything is optional here: Meta adds and varies fields per type.
namespace LaporBot.Channels.Meta;

internal sealed record MetaWebhookPayload(
    [property: JsonPropertyName("object")] string? Object,
    [property: JsonPropertyName("entry")] IReadOnlyList<MetaEntry>? Entry);

internal sealed record MetaEntry(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("changes")] IReadOnlyList<MetaChange>? Changes);

internal sealed record MetaChange(
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("value")] MetaValue? Value);

internal sealed record MetaValue(
    [property: JsonPropertyName("messaging_product")] string? MessagingProduct,
    [property: JsonPropertyName("metadata")] MetaMetadata? Metadata,
    [property: JsonPropertyName("contacts")] IReadOnlyList<MetaContact>? Contacts,
    [property: JsonPropertyName("messages")] IReadOnlyList<MetaMessage>? Messages,
    [property: JsonPropertyName("statuses")] IReadOnlyList<MetaStatus>? Statuses,
    [property: JsonPropertyName("errors")] IReadOnlyList<MetaError>? Errors);

internal sealed record MetaMetadata(
    [property: JsonPropertyName("display_phone_number")] string? DisplayPhoneNumber,
    [property: JsonPropertyName("phone_number_id")] string? PhoneNumberId);

internal sealed record MetaContact(
    [property: JsonPropertyName("wa_id")] string? WaId,
    [property: JsonPropertyName("profile")] MetaProfile? Profile);

internal sealed record MetaProfile([property: JsonPropertyName("name")] string? Name);

internal sealed record MetaMessage(
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("timestamp")] string? Timestamp,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("text")] MetaText? Text = null,
    [property: JsonPropertyName("location")] MetaLocation? Location = null,
    [property: JsonPropertyName("interactive")] MetaInteractive? Interactive = null,
    [property: JsonPropertyName("button")] MetaButton? Button = null,
    [property: JsonPropertyName("image")] MetaMedia? Image = null,
    [property: JsonPropertyName("document")] MetaMedia? Document = null,
    [property: JsonPropertyName("context")] MetaContext? Context = null);

internal sealed record MetaText([property: JsonPropertyName("body")] string? Body);

internal sealed record MetaLocation(
    [property: JsonPropertyName("latitude")] double Latitude,
    [property: JsonPropertyName("longitude")] double Longitude,
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("address")] string? Address = null);

internal sealed record MetaInteractive(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("button_reply")] MetaReply? ButtonReply = null,
    [property: JsonPropertyName("list_reply")] MetaReply? ListReply = null);

internal sealed record MetaReply(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description = null);

internal sealed record MetaButton(
    [property: JsonPropertyName("payload")] string? Payload,
    [property: JsonPropertyName("text")] string? Text);

internal sealed record MetaMedia(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("mime_type")] string? MimeType = null,
    [property: JsonPropertyName("sha256")] string? Sha256 = null,
    [property: JsonPropertyName("caption")] string? Caption = null,
    [property: JsonPropertyName("filename")] string? Filename = null);

internal sealed record MetaContext(
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("id")] string? Id);

internal sealed record MetaStatus(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("timestamp")] string? Timestamp,
    [property: JsonPropertyName("recipient_id")] string? RecipientId,
    [property: JsonPropertyName("errors")] IReadOnlyList<MetaError>? Errors = null);

internal sealed record MetaError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("title")] string? Title = null,
    [property: JsonPropertyName("message")] string? Message = null,
    [property: JsonPropertyName("error_data")] MetaErrorData? ErrorData = null);

internal sealed record MetaErrorData([property: JsonPropertyName("details")] string? Details);
