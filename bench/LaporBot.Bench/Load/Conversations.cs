using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LaporBot.Bench.Load;

/// <summary>
/// What one citizen says: a greeting, name, address, "sama" (the problem is at that address), the
/// complaint, then "ya" to submit (six turns, the dialog's whole report form). Even citizens write over WhatsApp (Twilio), odd ones over Telegram. Every request is
/// what the provider would send: a Twilio form signed with X-Twilio-Signature, or a Telegram
/// update with the webhook secret header; every message id is unique.
/// </summary>
internal sealed class Conversations(string baseUrl, string twilioAuthToken, string telegramSecret, string runId)
{
    public const int Turns = 6;

    // Three subjects, one per demo agency, so every agency's admins receive notifications.
    private static readonly string[] Complaints =
    [
        "Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh",
        "Sampah menumpuk di pinggir jalan dekat sekolah sudah dua minggu tidak diangkut dan baunya menyengat",
        "Lampu lalu lintas mati di perempatan Gumilir sejak tiga hari, kendaraan saling serobot",
    ];

    // Telegram update ids are unique across every conversation this process plays (warm-up included).
    private static long _updateId = 700_000_000;

    public string TwilioUrl => $"{baseUrl}/webhooks/twilio";

    public static bool IsTelegram(int citizen) => citizen % 2 == 1;

    public static string TwilioAddress(int citizen) => $"whatsapp:+62812{citizen:D7}";

    public static long TelegramChat(int citizen) => 200_000_000 + citizen;

    public static string Text(int citizen, int turn) => turn switch
    {
        0 => "halo",
        1 => "Budi Santoso",
        2 => "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah",
        3 => "sama",
        4 => Complaints[citizen % Complaints.Length],
        _ => "ya",
    };

    public HttpRequestMessage Request(int citizen, int turn)
    {
        var text = Text(citizen, turn);
        if (IsTelegram(citizen))
        {
            var id = Interlocked.Increment(ref _updateId);
            var chat = TelegramChat(citizen);
            var update = JsonSerializer.Serialize(new
            {
                update_id = id,
                message = new
                {
                    message_id = id,
                    date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    chat = new { id = chat, type = "private", first_name = "Budi" },
                    from = new { id = chat, is_bot = false, first_name = "Budi" },
                    text,
                },
            });
            var r = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/webhooks/telegram")
            {
                Content = new StringContent(update, Encoding.UTF8, "application/json"),
            };
            r.Headers.Add("X-Telegram-Bot-Api-Secret-Token", telegramSecret);
            return r;
        }
        var from = TwilioAddress(citizen);
        var form = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = FakeProviders.TwilioSid,
            ["ApiVersion"] = "2010-04-01",
            ["Body"] = text,
            ["From"] = from,
            ["MessageSid"] = $"SM{runId}{citizen:D7}{turn}",
            ["NumMedia"] = "0",
            ["ProfileName"] = "Budi",
            ["SmsMessageSid"] = $"SM{runId}{citizen:D7}{turn}",
            ["To"] = "whatsapp:+14155238886",
            ["WaId"] = from[10..],
        };
        var request = new HttpRequestMessage(HttpMethod.Post, TwilioUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", Sign(TwilioUrl, form, twilioAuthToken));
        return request;
    }

    /// <summary>
    /// Twilio's documented scheme, written here independently of the app: the full URL, then each
    /// POST parameter's name and value sorted by name, HMAC-SHA1 with the auth token, Base64.
    /// </summary>
    public static string Sign(string url, SortedDictionary<string, string> form, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (k, v) in form)
        {
            data.Append(k).Append(v);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    public static string RunId() => DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
}
