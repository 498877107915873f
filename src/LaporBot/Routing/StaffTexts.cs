using System.Globalization;
using LaporBot.Complaints;
using LaporBot.Conversations;

namespace LaporBot.Routing;

/// <summary>
/// What the bot says to staff (triage desk and agency admins) on Telegram. Staff read Indonesian;
/// commands have English aliases. Citizens' texts live in dialogs/*.yaml instead.
/// </summary>
internal static class StaffTexts
{
    public static string When(long? unixMs) =>
        unixMs is { } ms ? ReplyComposer.FormatDate(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : "-";

    public static string StatusName(string status) => status switch
    {
        ComplaintStatus.Submitted => "baru masuk",
        ComplaintStatus.Triage => "menunggu disposisi",
        ComplaintStatus.Assigned => "didisposisikan, menunggu diterima",
        ComplaintStatus.Accepted => "diterima, menunggu jawaban",
        ComplaintStatus.Returned => "dikembalikan ke pelapor",
        ComplaintStatus.Answered => "sudah dijawab",
        ComplaintStatus.Reopened => "dibuka kembali (pelapor tidak puas)",
        ComplaintStatus.Closed => "selesai",
        _ => status,
    };

    /// <summary>The case as staff see it; identity hidden for confidential reports shown to agencies.</summary>
    /// <param name="contact">The reporter's channel and chat address, shown to the triage desk only.</param>
    public static string Card(ComplaintRow c, string? agencyName, bool hideIdentity, int attachments, string? contact = null)
    {
        var lines = new List<string>
        {
            $"Nomor: {c.TrackingNumber}",
            $"Status: {StatusName(c.Status)}" + (agencyName is null ? "" : $" — {agencyName}"),
            $"Masuk: {When(c.CreatedAt)} via {c.Channel}",
        };
        if (c.DueAt is { } due)
        {
            lines.Add($"Batas waktu: {When(due)}" + (c.OverdueAt is not null ? " ⚠️ TERLAMBAT" : ""));
        }
        lines.Add(hideIdentity ? "Pelapor: (identitas dirahasiakan atas permintaan pelapor)" : $"Pelapor: {c.Name}");
        if (!hideIdentity)
        {
            lines.Add($"Alamat pemohon: {c.Address}");
            if (contact is not null)
            {
                lines.Add($"Kontak: {contact}");
            }
            if (c.Confidential)
            {
                lines.Add("⚠️ Identitas dirahasiakan untuk instansi atas permintaan pelapor");
            }
        }
        // Where the problem is: never hidden, a confidential report hides who reported it, not where to act.
        if (!string.IsNullOrWhiteSpace(c.ProblemLocation))
        {
            lines.Add($"Lokasi masalah: {c.ProblemLocation}");
        }
        if (MapLink(c) is { } map)
        {
            lines.Add($"Peta: {map}");
        }
        if (attachments > 0)
        {
            lines.Add($"Lampiran: {attachments} foto/berkas (foto menyusul di pesan berikut; semuanya di halaman status)");
        }
        if (c.Oversight)
        {
            lines.Add("Jenis: berkadar pengawasan (dugaan pelanggaran oleh aparatur)");
        }
        lines.Add("");
        lines.Add($"Aduan: {c.Text}");
        if (c.Answer is not null)
        {
            lines.Add("");
            lines.Add($"Jawaban terakhir: {c.Answer}");
        }
        return string.Join("\n", lines);
    }

    /// <summary>A map link for the shared coordinates, when there are any.</summary>
    public static string? MapLink(ComplaintRow c) =>
        c.Latitude is { } lat && c.Longitude is { } lon
            ? string.Create(CultureInfo.InvariantCulture, $"https://maps.google.com/?q={lat:0.######},{lon:0.######}")
            : null;

    public static string Assigned(ComplaintRow c, string agencyName, bool hideIdentity, int attachments) =>
        $"📋 Aduan baru untuk {agencyName}\n\n{Card(c, null, hideIdentity, attachments)}\n\n" +
        $"Balas pesan ini untuk menjawab, atau pakai tombol / perintah:\n/terima {c.TrackingNumber}\n/tolak {c.TrackingNumber} <alasan>\n/balas {c.TrackingNumber} <jawaban>";

    public static string ToTriage(ComplaintRow c, string? why, IReadOnlyList<(string Code, string Name)> suggestions, int attachments) =>
        $"🗂️ Aduan perlu disposisi{(why is null ? "" : $" ({why})")}\n\n{Card(c, null, false, attachments)}\n\n" +
        (suggestions.Count > 0 ? $"Saran instansi: {string.Join(", ", suggestions.Select(s => $"{s.Code} ({s.Name})"))}\n" : "Tidak ada instansi yang cocok dengan aturan.\n") +
        $"/disposisi {c.TrackingNumber} <kode OPD> · /kembalikan {c.TrackingNumber} <alasan> · /tutup {c.TrackingNumber}";

    public static string RejectedByAgency(ComplaintRow c, string agencyName, string reason) =>
        $"↩️ {agencyName} menolak disposisi {c.TrackingNumber}: {reason}\nMohon disposisikan ulang: /disposisi {c.TrackingNumber} <kode OPD>";

    public static string CitizenCompleted(ComplaintRow c, string addition) =>
        $"📝 Pelapor melengkapi aduan {c.TrackingNumber}:\n{addition}\n\n/disposisi {c.TrackingNumber} <kode OPD> · /kembalikan {c.TrackingNumber} <alasan>";

    public static string Reopened(ComplaintRow c, string comment) =>
        $"🔁 Pelapor TIDAK PUAS dengan jawaban {c.TrackingNumber}, aduan dibuka kembali.\nKomentar pelapor: {comment}\n\nKirim jawaban baru: /balas {c.TrackingNumber} <jawaban>";

    public static string CitizenComment(ComplaintRow c, string comment) =>
        $"💬 Tanggapan pelapor untuk {c.TrackingNumber}:\n{comment}";

    public static string Reminder(ComplaintRow c, string step) =>
        $"⏰ Pengingat: aduan {c.TrackingNumber} belum {step}. Batas waktu {When(c.DueAt)}.";

    public static string Overdue(ComplaintRow c, string step, string? agencyName) =>
        $"⚠️ Aduan {c.TrackingNumber} melewati batas waktu ({step}){(agencyName is null ? "" : $" di {agencyName}")}. Batas: {When(c.DueAt)}.";

    public static string TotalOverdue(ComplaintRow c, string? agencyName) =>
        $"⚠️ Aduan {c.TrackingNumber} belum dijawab dan melewati standar waktu total{(agencyName is null ? "" : $" ({agencyName})")}. Batas total: {When(c.TotalDueAt)}. Status: {StatusName(c.Status)}.";

    public static string Digest(IReadOnlyList<(ComplaintRow C, string? Agency)> overdue, DateTimeOffset now) =>
        overdue.Count == 0
            ? $"📊 Rekap harian {ReplyComposer.FormatDate(now)}: tidak ada aduan yang terlambat. 👍"
            : $"📊 Rekap harian {ReplyComposer.FormatDate(now)}: {overdue.Count} aduan terlambat\n" +
              string.Join("\n", overdue.Select(o => $"• {o.C.TrackingNumber} — {StatusName(o.C.Status)}{(o.Agency is null ? "" : $" — {o.Agency}")} (batas {When(o.C.DueAt)})"));

    public static string StepName(string? step) => step switch
    {
        "assign" => "didisposisikan",
        "accept" => "diterima instansi",
        "answer" => "dijawab",
        _ => "diproses",
    };

    public const string Help =
        "Perintah petugas LaporBot:\n" +
        "/daftar — aduan terbuka instansi Anda (terlambat di atas) [/list]\n" +
        "/lihat <nomor> — rincian dan riwayat aduan [/view]\n" +
        "/terima <nomor> — terima disposisi [/accept]\n" +
        "/tolak <nomor> <alasan> — bukan kewenangan instansi Anda, kembali ke Admin Utama [/reject]\n" +
        "/balas <nomor> <jawaban> — kirim jawaban ke pelapor [/answer]\n" +
        "Membalas (reply) pesan notifikasi aduan = menjawab aduan itu.\n\n" +
        "Khusus Admin Utama:\n" +
        "/disposisi <nomor> <kode OPD> — teruskan ke instansi [/assign]\n" +
        "/kembalikan <nomor> <alasan> — minta pelapor melengkapi [/return]\n" +
        "/tutup <nomor> [alasan] — tutup aduan, mis. spam [/close]\n" +
        "/bantuan — petunjuk ini [/help]";

    public const string NotStaff =
        "Maaf, perintah ini hanya untuk petugas yang terdaftar. Jika Anda petugas, minta kode undangan ke Diskominfo lalu kirim /start <kode>.";

    public const string NotYourAgency = "Maaf, aduan ini tidak ditangani instansi Anda, jadi Anda tidak dapat melihat atau mengubahnya.";

    public const string TriageOnly = "Maaf, perintah ini hanya untuk Admin Utama (Diskominfo).";
}
