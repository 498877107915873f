using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// Twilio's Messages API as the fake server answers it (docs/PROTOCOLS.md §1.5–1.7): a form-encoded
/// POST to /2010-04-01/Accounts/{sid}/Messages.json, checked the way Twilio checks it — To and From
/// required, a Body (≤ 1,600 characters), MediaUrl or ContentSid, never Body with ContentVariables,
/// ContentVariables only with a ContentSid and only as a JSON object of non-empty strings, a ContentSid
/// of an existing Content API template — answered 201 with a MessageSid or 400 with Twilio's error
/// body. A template send is rendered (variables substituted) into <see cref="Delivered"/>, so a test
/// sees what the citizen's WhatsApp would show: the text and the buttons.
/// </summary>
internal sealed partial class FakeTwilioApi
{
    /// <summary>A twilio/text template: body "{{1}}" (the 24-hour-window fallback).</summary>
    public const string TextTemplate = "HX0123456789abcdef0123456789abcdef";
    public const string QuickReply1 = "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa01";
    public const string QuickReply2 = "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa02";
    public const string QuickReply3 = "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa03";

    /// <summary>A Content API template: twilio/quick-reply when it has actions, twilio/text otherwise.</summary>
    public sealed record Content(string Body, IReadOnlyList<(string Title, string Id)> Actions);

    /// <summary>What WhatsApp shows for one accepted message.</summary>
    public sealed record Shown(string To, string Body, IReadOnlyList<string> Buttons, IReadOnlyList<string> ButtonIds, string? ContentSid);

    private int _sid;

    /// <summary>The account's templates, as created in the Content Template Builder (one per number of buttons).</summary>
    public ConcurrentDictionary<string, Content> Contents { get; } = new(StringComparer.Ordinal)
    {
        [TextTemplate] = new("{{1}}", []),
        [QuickReply1] = new("{{1}}", [("{{2}}", "{{2}}")]),
        [QuickReply2] = new("{{1}}", [("{{2}}", "{{2}}"), ("{{3}}", "{{3}}")]),
        [QuickReply3] = new("{{1}}", [("{{2}}", "{{2}}"), ("{{3}}", "{{3}}"), ("{{4}}", "{{4}}")]),
    };

    public ConcurrentQueue<Shown> Delivered { get; } = new();

    /// <summary>Answers a request to the Messages resource; null for any other path.</summary>
    public FakeProviderServer.Reply? Answer(FakeProviderServer.Recorded r)
    {
        if (r.Method != "POST" || !r.Path.EndsWith("/Messages.json", StringComparison.Ordinal))
        {
            return null;
        }
        Dictionary<string, string> f;
        try
        {
            f = r.Form;
        }
        catch (Exception)
        {
            return Error(21602, "Message body is required.");
        }
        string? Get(string key) => f.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        var to = Get("To");
        var body = Get("Body");
        var contentSid = Get("ContentSid");
        var variablesJson = Get("ContentVariables");
        if (to is null)
        {
            return Error(21604, "A 'To' phone number is required.");
        }
        if (Get("From") is null && Get("MessagingServiceSid") is null)
        {
            return Error(21603, "A 'From' phone number is required.");
        }
        if (variablesJson is not null && contentSid is null)
        {
            return Error(21654, "ContentSid Required");
        }
        if (body is not null && variablesJson is not null)
        {
            return Error(35127, "'Messages' Body and ContentVariables cannot be provided together");
        }
        if (contentSid is null)
        {
            if (body is null && Get("MediaUrl") is null)
            {
                return Error(21602, "Message body is required.");
            }
            if (body is { Length: > 1600 })
            {
                return Error(21617, "The concatenated message body exceeds the 1600 character limit.");
            }
            Delivered.Enqueue(new(to, body ?? "", [], [], null));
            return Accepted();
        }
        if (!ContentSidPattern().IsMatch(contentSid) || !Contents.TryGetValue(contentSid, out var content))
        {
            return Error(21655, "The ContentSid is Invalid.");
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variablesJson is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(variablesJson);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return Error(21656, "The ContentVariables Parameter is invalid.");
                }
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not { Length: > 0 } value)
                    {
                        return Error(21656, "The ContentVariables Parameter is invalid.");
                    }
                    variables[p.Name] = value;
                }
            }
            catch (JsonException)
            {
                return Error(21656, "The ContentVariables Parameter is invalid.");
            }
        }
        string? Render(string template)
        {
            var missing = false;
            var text = Placeholder().Replace(template, m =>
            {
                if (variables.TryGetValue(m.Groups[1].Value, out var v))
                {
                    return v;
                }
                missing = true;
                return "";
            });
            return missing ? null : text;
        }
        var shownBody = Render(content.Body);
        var titles = content.Actions.Select(a => Render(a.Title)).ToList();
        var ids = content.Actions.Select(a => Render(a.Id)).ToList();
        if (shownBody is null || titles.Any(t => t is null) || ids.Any(i => i is null))
        {
            return Error(21656, "The ContentVariables Parameter is invalid.");
        }
        Delivered.Enqueue(new(to, shownBody, titles!, ids!, contentSid));
        return Accepted();
    }

    private FakeProviderServer.Reply Accepted() =>
        new(201, $"{{\"sid\":\"SM{Interlocked.Increment(ref _sid):D32}\",\"status\":\"queued\"}}");

    private static FakeProviderServer.Reply Error(int code, string message) =>
        new(400, JsonSerializer.Serialize(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status = 400 }));

    [GeneratedRegex("^HX[0-9a-fA-F]{32}$")]
    private static partial Regex ContentSidPattern();

    [GeneratedRegex(@"\{\{(\d+)\}\}")]
    private static partial Regex Placeholder();
}
