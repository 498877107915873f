using System.Security.Cryptography;
using System.Text;
using Dapper;
using LaporBot.Data;
using LaporBot.StatusPage;
using Microsoft.Extensions.Options;

namespace LaporBot.Reports;

internal sealed class RecapOptions
{
    public const string Section = "Recaps";

    /// <summary>Where stored report files are written (relative paths are under the app folder).</summary>
    public string Directory { get; set; } = "data/recaps";

    /// <summary>The office named at the top of every printed report.</summary>
    public string Institution { get; set; } = "Dinas Komunikasi dan Informatika";

    /// <summary>Local time of day at which the daily issue-identification report goes to the triage desk.</summary>
    public TimeSpan DailyTime { get; set; } = new(7, 30, 0);

    /// <summary>The reporting SOP's time standards for the three sign-off levels.</summary>
    public TimeSpan SectionHeadTime { get; set; } = TimeSpan.FromHours(3);

    public TimeSpan DivisionHeadTime { get; set; } = TimeSpan.FromHours(3);

    public TimeSpan PersonInChargeTime { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Count the sign-off standards in office time when the working calendar is on (Calendar:Enabled):
    /// the SOP's "3 jam" are three working hours and "2 hari" two working days, so a draft stored on
    /// Friday afternoon is not late on Saturday. Off, or with the calendar off: calendar time.
    /// </summary>
    public bool SignOffInWorkingTime { get; set; } = true;

    /// <summary>Who is reminded at each level: Telegram user ids of the people who initial or sign (empty: the triage desk).</summary>
    public SignOffApprovers Approvers { get; set; } = new();
}

internal sealed class SignOffApprovers
{
    public string[] SectionHead { get; set; } = [];
    public string[] DivisionHead { get; set; } = [];
    public string[] PersonInCharge { get; set; } = [];

    public IReadOnlyList<string> For(string level) => level switch
    {
        SignOffLevels.SectionHead => SectionHead,
        SignOffLevels.DivisionHead => DivisionHead,
        SignOffLevels.PersonInCharge => PersonInCharge,
        _ => [],
    };
}

/// <summary>When a sign-off level is due: its standard from <see cref="RecapOptions"/>, in working time where the calendar says so.</summary>
internal sealed class SignOffStandards(IOptions<RecapOptions> options, LaporBot.Workflow.WorkingCalendar calendar)
{
    public TimeSpan Standard(string level) => level switch
    {
        SignOffLevels.SectionHead => options.Value.SectionHeadTime,
        SignOffLevels.DivisionHead => options.Value.DivisionHeadTime,
        SignOffLevels.PersonInCharge => options.Value.PersonInChargeTime,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public DateTimeOffset Due(string level, DateTimeOffset start) =>
        new LaporBot.Workflow.WorkflowClock(calendar).Due(start, Standard(level),
            options.Value.SignOffInWorkingTime ? LaporBot.Workflow.TimeBasis.Working : LaporBot.Workflow.TimeBasis.Calendar);
}

internal static class RecapFormat
{
    public const string Xlsx = "xlsx";
    public const string Csv = "csv";
    public const string Html = "html";
    public static readonly string[] All = [Xlsx, Csv, Html];

    public static string ContentType(string format) => format switch
    {
        Xlsx => RecapXlsx.ContentType,
        Csv => RecapCsv.ContentType,
        Html => RecapHtml.ContentType,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static byte[] Render(RecapReport report, string format, ReportContext context) => format switch
    {
        Xlsx => RecapXlsx.Write(report, context),
        Csv => RecapCsv.Write(report),
        Html => Encoding.UTF8.GetBytes(RecapHtml.Write(report, context)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string FileName(RecapPeriod period, string format, string? agency = null) =>
        $"laporan-pengaduan-{period.Key}{(agency is null ? "" : "-" + agency.ToLowerInvariant())}.{format}";
}

internal sealed record StoredRecap
{
    public long Id { get; init; }
    public string Period { get; init; } = "";
    public string PeriodFrom { get; init; } = "";
    public string PeriodTo { get; init; } = "";
    public string Format { get; init; } = "";
    public string Path { get; init; } = "";
    public long SizeBytes { get; init; }
    public long CaseCount { get; init; }
    public long CreatedAt { get; init; }
    public string? Sha256 { get; init; }
}

/// <summary>
/// The stored reports: files under Recaps:Directory (one row each in `recaps`) and one row in
/// `reports` per period with the compiled figures and the sign-off state. A report is stored once:
/// a second run for the same period finds the row and changes nothing.
/// </summary>
internal sealed class StoredRecaps(RecapService recaps, IDatabase db, IOptions<RecapOptions> options, IHostEnvironment env,
    TimeProvider clock, SignOffStandards standards, ILogger<StoredRecaps> logger)
{
    private const string Columns = "id, period, period_from, period_to, format, path, size_bytes, case_count, created_at, sha256";
    public const string System_ = "sistem:laporan";

    public string Root => System.IO.Path.GetFullPath(System.IO.Path.Combine(env.ContentRootPath, options.Value.Directory));

    public RecapOptions Options => options.Value;

    /// <summary>What the job on the 1st does: last month's report in every format, once.</summary>
    public Task<int> ProduceLastMonthAsync(CancellationToken cancellationToken = default) =>
        ProduceAsync(RecapPeriod.PreviousMonth(recaps.LocalToday()), cancellationToken);

    /// <summary>
    /// What the job on the 1st does: last month's report, and on the first month of a quarter, semester or
    /// year also the one that just ended (Muara Enim's statistics every three months, Bontang's per-agency
    /// semester recap and annual report). Each is stored once however often this runs.
    /// </summary>
    public async Task<int> ProducePeriodicAsync(CancellationToken cancellationToken = default)
    {
        var today = recaps.LocalToday();
        var month = RecapPeriod.PreviousMonth(today);
        var stored = await ProduceAsync(month, cancellationToken);
        if (today.Month % 3 == 1)
        {
            stored += await ProduceAsync(RecapPeriod.QuarterOf(month.From), cancellationToken);
        }
        if (today.Month is 1 or 7)
        {
            stored += await ProduceAsync(RecapPeriod.SemesterOf(month.From), cancellationToken);
        }
        if (today.Month == 1)
        {
            stored += await ProduceAsync(RecapPeriod.Year(month.From.Year), cancellationToken);
        }
        return stored;
    }

    /// <returns>How many files this call stored (0 when the report already existed).</returns>
    public async Task<int> ProduceAsync(RecapPeriod period, CancellationToken cancellationToken = default) =>
        await ProduceAsync(period, period.Kind, cancellationToken);

    public async Task<int> ProduceAsync(RecapPeriod period, ReportKind kind, CancellationToken cancellationToken = default)
    {
        await using (var c = await db.OpenAsync(cancellationToken))
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reports WHERE period = @key", new { key = period.Key }) > 0
                || await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recaps WHERE period = @key", new { key = period.Key }) > 0)
            {
                logger.LogInformation("Report {Period}: already stored", period.Key);
                return 0;
            }
        }
        // Stored reports never carry reporters' identities; staff who need them download a report on demand.
        var report = await recaps.BuildAsync(period, identity: null, kind: kind, cancellationToken: cancellationToken);
        var now = clock.GetUtcNow();
        var signed = kind != ReportKind.Day;
        await using var s = await db.BeginAsync(cancellationToken);
        var inserted = await s.Connection.ExecuteAsync(
            """
            INSERT INTO reports (period, kind, stage, snapshot, stage_started_at, due_at, created_at, updated_at)
            VALUES (@key, @kind, @stage, @snapshot, @now, @due, @now, @now)
            ON CONFLICT (period) DO NOTHING
            """,
            new
            {
                key = period.Key, kind = kind.ToString(), stage = signed ? SignOff.Stages.SectionHead : SignOff.Stages.None,
                snapshot = report.ToJson(), now = now.ToUnixTimeMilliseconds(),
                due = signed ? standards.Due(SignOffLevels.SectionHead, now).ToUnixTimeMilliseconds() : (long?)null,
            }, s.Transaction);
        if (inserted == 0)
        {
            return 0;
        }
        await SignOff.AppendAsync(s, period.Key, now, System_, "created", null, null);
        var stored = await WriteFilesAsync(s, period, report, new ReportContext(options.Value.Institution, []), now, freeze: false, cancellationToken);
        await s.CommitAsync(cancellationToken);
        logger.LogInformation("Report {Period}: stored {Count} file(s) with {Cases} case(s)", period.Key, stored, report.Total);
        return stored;
    }

    /// <summary>Writes (or rewrites) the report's files and their rows. Files are renamed into place, so a reader never sees half a file.</summary>
    internal async Task<int> WriteFilesAsync(DbSession s, RecapPeriod period, RecapReport report, ReportContext context, DateTimeOffset now,
        bool freeze, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Root);
        var count = 0;
        foreach (var format in RecapFormat.All)
        {
            var name = RecapFormat.FileName(period, format);
            var bytes = RecapFormat.Render(report, format, context);
            var full = System.IO.Path.Combine(Root, name);
            var temp = full + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, full, overwrite: true);
            count += await s.Connection.ExecuteAsync(
                """
                INSERT INTO recaps (period, period_from, period_to, format, path, size_bytes, case_count, created_at, sha256)
                VALUES (@key, @from, @to, @format, @name, @size, @count, @now, @sha)
                ON CONFLICT (period, format) DO UPDATE SET size_bytes = excluded.size_bytes, sha256 = excluded.sha256
                """,
                new
                {
                    key = period.Key, from = period.From.ToString("yyyy-MM-dd"), to = period.To.ToString("yyyy-MM-dd"), format, name,
                    size = bytes.LongLength, count = report.Total, now = now.ToUnixTimeMilliseconds(),
                    sha = freeze ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null,
                },
                s.Transaction);
        }
        return count;
    }

    public async Task<IReadOnlyList<StoredRecap>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return (await c.QueryAsync<StoredRecap>($"SELECT {Columns} FROM recaps ORDER BY period_to DESC, period DESC, format")).AsList();
    }

    public async Task<(StoredRecap Recap, string FullPath)?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<StoredRecap>($"SELECT {Columns} FROM recaps WHERE id = @id", new { id });
        if (row is null)
        {
            return null;
        }
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, row.Path));
        // The row names a file inside the report folder; anything else is refused.
        if (!full.StartsWith(Root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }
        return (row, full);
    }
}
