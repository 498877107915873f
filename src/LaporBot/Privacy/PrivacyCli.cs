using System.Globalization;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Privacy;

/// <summary>
/// <c>privacy accesses &lt;chat address | tracking number&gt;</c>: every recorded staff view of a reporter's data.
/// <c>privacy breach --from yyyy-MM-dd --to yyyy-MM-dd [--data all|cases|messages|attachments]</c>: the
/// reporters whose personal data was held in that window, with the channel to reach them (the 3 × 24-hour
/// notice duty of UU PDP art. 46). <c>privacy retention</c>: run the retention round once, now.
/// </summary>
internal static class PrivacyCli
{
    public const string Usage =
        "Usage:\n" +
        "  privacy accesses <chat address | tracking number>   staff views of one reporter's personal data\n" +
        "  privacy breach --from 2026-11-01 --to 2026-11-24 [--data all|cases|messages|attachments]\n" +
        "                                                      reporters whose data was held in that window (local dates, inclusive)\n" +
        "  privacy retention                                   erase what has passed its retention period, now";

    public static readonly string[] DataSets = ["all", "cases", "messages", "attachments"];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var db = services.GetRequiredService<IDatabase>();
        var zone = services.GetRequiredService<LocalZone>().Zone;
        string Local(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        switch (args.FirstOrDefault())
        {
            case "accesses" when args.Length == 2:
                return await AccessesAsync(db, args[1].Trim(), stdout, stderr, Local);
            case "breach":
                return await BreachAsync(services, db, zone, args[1..], stdout, stderr, Local);
            case "retention" when args.Length == 1:
                var counts = await services.GetRequiredService<RetentionService>().RunOnceAsync();
                await stdout.WriteLineAsync(
                    $"Erased: {counts.Cases} cases' personal data, {counts.Identities} reporter identities, {counts.InboundMessages} inbound messages, " +
                    $"{counts.OutboxMessages} outgoing messages, {counts.Conversations} conversations, {counts.StaffCommands} staff commands, {counts.Files} files.");
                return 0;
            default:
                await stderr.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> AccessesAsync(IDatabase db, string who, TextWriter stdout, TextWriter stderr, Func<long, string> local)
    {
        await using var c = await db.OpenAsync();
        var reporterIds = (await c.QueryAsync<long>(
            """
            SELECT id FROM reporters WHERE address = @who
            UNION SELECT reporter_id FROM complaints WHERE tracking_number = upper(@who)
            """, new { who })).AsList();
        if (reporterIds.Count == 0)
        {
            await stderr.WriteLineAsync($"No reporter with chat address or tracking number '{who}'. A WhatsApp address looks like whatsapp:+6281234567890; a Telegram one is the chat id.");
            return 1;
        }
        var entries = new List<AccessEntry>();
        foreach (var id in reporterIds)
        {
            entries.AddRange(await AccessLog.ForReporterAsync(c, id));
        }
        await stdout.WriteLineAsync("time (local)\tstaff\tvia\tcase\tpurpose\tdetail");
        foreach (var e in entries.OrderBy(e => e.Id))
        {
            await stdout.WriteLineAsync($"{local(e.At)}\t{e.Staff}\t{e.Via}\t{e.TrackingNumber ?? "-"}\t{e.Purpose}\t{e.Detail ?? ""}");
        }
        await stdout.WriteLineAsync($"{entries.Count} access(es) recorded.");
        return 0;
    }

    private static async Task<int> BreachAsync(IServiceProvider services, IDatabase db, TimeZoneInfo zone, string[] args,
        TextWriter stdout, TextWriter stderr, Func<long, string> local)
    {
        string? Arg(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var data = (Arg("--data") ?? "all").ToLowerInvariant();
        if (!DateOnly.TryParseExact(Arg("--from"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(Arg("--to"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || to < from || !DataSets.Contains(data))
        {
            await stderr.WriteLineAsync("privacy breach needs --from and --to as local dates yyyy-MM-dd (to not before from), and --data one of " +
                string.Join(", ", DataSets) + ".\n" + Usage);
            return 2;
        }
        long Start(DateOnly d) => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(d.ToDateTime(TimeOnly.MinValue))).ToUnixTimeMilliseconds();
        var (start, end) = (Start(from), Start(to.AddDays(1)));

        // "Held in the window": stored before its end and not erased before its start.
        var sets = new Dictionary<string, string>
        {
            ["cases"] = """
                SELECT c.reporter_id AS id, 'kasus' AS what FROM complaints c
                WHERE c.created_at < @end AND (c.personal_erased_at IS NULL OR c.personal_erased_at >= @start)
                """,
            ["attachments"] = """
                SELECT c.reporter_id AS id, 'lampiran' AS what FROM complaints c
                WHERE c.created_at < @end AND (c.personal_erased_at IS NULL OR c.personal_erased_at >= @start)
                  AND (EXISTS (SELECT 1 FROM complaint_attachments a WHERE a.complaint_id = c.id AND a.created_at < @end)
                       OR c.personal_erased_at IS NOT NULL)
                UNION ALL
                SELECT i.reporter_id, 'lampiran' FROM inbound_messages i WHERE i.attachments IS NOT NULL AND i.received_at < @end
                """,
            ["messages"] = """
                SELECT i.reporter_id AS id, 'pesan' AS what FROM inbound_messages i WHERE i.received_at < @end
                UNION ALL
                SELECT o.reporter_id, 'pesan' FROM outbox o WHERE o.reporter_id IS NOT NULL AND o.created_at < @end
                UNION ALL
                SELECT r.id, 'pesan' FROM reporters r JOIN conversations v ON v.reporter_id = r.id WHERE r.created_at < @end
                """,
            ["identities"] = """
                SELECT r.id AS id, 'identitas' AS what FROM reporters r
                WHERE r.created_at < @end AND (r.erased_at IS NULL OR r.erased_at >= @start)
                """,
        };
        // "all" also lists reporters known only by their chat address (nothing filed yet).
        var union = data == "all" ? string.Join("\nUNION ALL\n", sets.Values) : sets[data];
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<(long Id, string What)>($"SELECT id, what FROM ({union}) x", new { start, end })).ToList();
        var byReporter = rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => string.Join(",", g.Select(x => x.What).Distinct().Order()));
        var reporters = byReporter.Count == 0 ? [] : (await c.QueryAsync<(long Id, string Channel, string Address, long? ErasedAt, long? UnreachableAt, long? StoppedAt)>(
            $"SELECT id, channel, address, erased_at, unreachable_at, stopped_at FROM reporters WHERE {SqlDialect.Of(c).InList("id", "@ids")} ORDER BY id",
            new { ids = byReporter.Keys.ToList() })).AsList();

        await stdout.WriteLineAsync($"Reporters whose personal data ({data}) was held between {from:yyyy-MM-dd} and {to:yyyy-MM-dd} (local dates, inclusive):");
        await stdout.WriteLineAsync("reporter\tchannel\treach at\tdata\tnote");
        var clock = services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var r in reporters)
        {
            var note = r.ErasedAt is { } e ? $"identity erased {local(e)}: cannot be reached"
                : r.UnreachableAt is not null ? "blocked the bot: reach by other means"
                : r.StoppedAt is not null ? "said berhenti (the breach notice is still owed)" : "";
            await stdout.WriteLineAsync($"{r.Id}\t{r.Channel}\t{(r.ErasedAt is null ? r.Address : "-")}\t{byReporter[r.Id]}\t{note}");
            // Listing contact addresses is itself a use of personal data: on record like any other.
            await AccessLog.RecordAsync(c, null, clock, "cli", "cli", null, r.Id, StatusPage.WebTexts.T("reason.incident_list"),
                $"{data} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        }
        await stdout.WriteLineAsync($"{reporters.Count} reporter(s); {reporters.Count(r => r.ErasedAt is null && r.UnreachableAt is null)} reachable by chat.");
        return 0;
    }
}
