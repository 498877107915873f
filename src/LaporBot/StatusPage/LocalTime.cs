using System.Globalization;
using LaporBot.Complaints;
using Microsoft.Extensions.Options;

namespace LaporBot.StatusPage;

/// <summary>Local (WIB by default) calendar for the status page: day and month boundaries, and how times are written.</summary>
internal sealed class LocalTime(IOptions<ComplaintOptions> options)
{
    private static readonly CultureInfo Id = CultureInfo.GetCultureInfo("id-ID");

    public TimeZoneInfo Zone { get; } = TrackingNumbers.FindZone(options.Value.TimeZone);

    /// <summary>WIB, WITA or WIT for Indonesia's zones; the IANA id otherwise.</summary>
    public string Abbreviation => options.Value.TimeZone switch
    {
        "Asia/Jakarta" or "Asia/Pontianak" => "WIB",
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        var other => other,
    };

    public DateTimeOffset ToLocal(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone);

    public DateTimeOffset ToLocal(long ms) => ToLocal(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    /// <summary>Midnight of the local date, as an instant.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(ToLocal(now).DateTime);

    public string Format(long? ms) => ms is { } v ? ToLocal(v).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " " + Abbreviation : "–";

    public string FormatDate(DateOnly d) => d.ToString("d MMM yyyy", Id);

    public static string MonthName(int month) => Id.DateTimeFormat.GetAbbreviatedMonthName(month);

    /// <summary>"2 hari 3 jam", "1 jam 15 mnt", "12 mnt".</summary>
    public static string Duration(TimeSpan? span)
    {
        if (span is not { } d)
        {
            return "–";
        }
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }
        if (d.TotalDays >= 1)
        {
            return $"{(int)d.TotalDays} hari {d.Hours} jam";
        }
        return d.TotalHours >= 1 ? $"{(int)d.TotalHours} jam {d.Minutes} mnt" : $"{Math.Max(0, (int)Math.Round(d.TotalMinutes))} mnt";
    }
}

/// <summary>What staff read for the stored words.</summary>
internal static class Labels
{
    public static readonly IReadOnlyList<string> Statuses =
    [
        ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Assigned, ComplaintStatus.Accepted,
        ComplaintStatus.Returned, ComplaintStatus.Answered, ComplaintStatus.Reopened, ComplaintStatus.Closed,
    ];

    public static readonly IReadOnlyList<string> Channels = ["twilio", "meta", "telegram", "simulator"];

    public static string Status(string status) => status switch
    {
        ComplaintStatus.Submitted => "Masuk",
        ComplaintStatus.Triage => "Verifikasi Admin Utama",
        ComplaintStatus.Assigned => "Didisposisikan",
        ComplaintStatus.Accepted => "Ditindaklanjuti instansi",
        ComplaintStatus.Returned => "Dikembalikan ke pelapor",
        ComplaintStatus.Answered => "Dijawab",
        ComplaintStatus.Reopened => "Dibuka kembali",
        ComplaintStatus.Closed => "Selesai",
        _ => status,
    };

    public static string Channel(string channel) => channel switch
    {
        "twilio" => "WhatsApp (Twilio)",
        "meta" => "WhatsApp (Meta)",
        "telegram" => "Telegram",
        "simulator" => "Simulator",
        _ => channel,
    };

    public static string Step(string? step) => step switch
    {
        "assign" => "disposisi",
        "accept" => "diterima instansi",
        "answer" => "dijawab",
        null => "–",
        _ => step,
    };

    public static string AccessVia(string via) => via switch
    {
        "status_page" => "halaman status",
        "telegram" => "Telegram (/lihat)",
        "export" => "unduhan rekap dengan identitas",
        "cli" => "baris perintah",
        _ => via,
    };

    public static string Outbox(string status) => status switch
    {
        "pending" => "menunggu",
        "sent" => "terkirim",
        "dead" => "gagal (berhenti)",
        "failed" => "gagal",
        _ => status,
    };
}
