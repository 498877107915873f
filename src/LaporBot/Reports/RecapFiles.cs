using System.Text;
using LaporBot.StatusPage;
using Dapper;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Reports;

internal sealed class RecapOptions
{
    public const string Section = "Recaps";

    /// <summary>Where stored recap files are written (relative paths are under the app folder).</summary>
    public string Directory { get; set; } = "data/recaps";

    /// <summary>The office named at the top of the printed recap.</summary>
    public string Institution { get; set; } = "Dinas Komunikasi dan Informatika";
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

    public static byte[] Render(RecapReport report, string format, string institution) => format switch
    {
        Xlsx => RecapXlsx.Write(report),
        Csv => RecapCsv.Write(report),
        Html => Encoding.UTF8.GetBytes(RecapHtml.Write(report, institution)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string FileName(RecapPeriod period, string format) => $"rekap-pengaduan-{period.Key}.{format}";
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
}

/// <summary>
/// The recaps the monthly job produced: files under Recaps:Directory, one row each in `recaps`.
/// One recap per period and format: a second run finds the rows and replaces nothing.
/// </summary>
internal sealed class StoredRecaps(RecapService recaps, IDatabase db, IOptions<RecapOptions> options, IHostEnvironment env,
    TimeProvider clock, ILogger<StoredRecaps> logger)
{
    private const string Columns = "id, period, period_from, period_to, format, path, size_bytes, case_count, created_at";

    public string Root => System.IO.Path.GetFullPath(System.IO.Path.Combine(env.ContentRootPath, options.Value.Directory));

    /// <summary>What the job on the 1st does: last month's recap in every format, each once.</summary>
    public Task<int> ProduceLastMonthAsync(CancellationToken cancellationToken = default) =>
        ProduceAsync(RecapPeriod.PreviousMonth(recaps.LocalToday()), cancellationToken);

    /// <returns>How many recaps this call stored (0 when all formats already existed).</returns>
    public async Task<int> ProduceAsync(RecapPeriod period, CancellationToken cancellationToken = default)
    {
        HashSet<string> existing;
        await using (var c = await db.OpenAsync(cancellationToken))
        {
            existing = (await c.QueryAsync<string>("SELECT format FROM recaps WHERE period = @key", new { key = period.Key })).ToHashSet();
        }
        var missing = RecapFormat.All.Where(f => !existing.Contains(f)).ToList();
        if (missing.Count == 0)
        {
            logger.LogInformation("Recap {Period}: already stored in every format", period.Key);
            return 0;
        }
        // Stored recaps never carry reporters' identities; staff who need them download a recap on demand.
        var report = await recaps.BuildAsync(period, includeIdentity: false, cancellationToken);
        System.IO.Directory.CreateDirectory(Root);
        var stored = 0;
        foreach (var format in missing)
        {
            var name = RecapFormat.FileName(period, format);
            var bytes = RecapFormat.Render(report, format, options.Value.Institution);
            var full = System.IO.Path.Combine(Root, name);
            var temp = full + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, full, overwrite: true); // a file without a row is a leftover of a crashed run
            await using var s = await db.BeginAsync(cancellationToken);
            var inserted = await s.Connection.ExecuteAsync(
                """
                INSERT INTO recaps (period, period_from, period_to, format, path, size_bytes, case_count, created_at)
                VALUES (@key, @from, @to, @format, @name, @size, @count, @now)
                ON CONFLICT (period, format) DO NOTHING
                """,
                new
                {
                    key = period.Key, from = period.From.ToString("yyyy-MM-dd"), to = period.To.ToString("yyyy-MM-dd"), format, name,
                    size = bytes.LongLength, count = report.Total, now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                },
                s.Transaction);
            await s.CommitAsync(cancellationToken);
            stored += inserted;
        }
        logger.LogInformation("Recap {Period}: stored {Count} file(s) with {Cases} case(s)", period.Key, stored, report.Total);
        return stored;
    }

    public async Task<IReadOnlyList<StoredRecap>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return (await c.QueryAsync<StoredRecap>($"SELECT {Columns} FROM recaps ORDER BY period DESC, format")).AsList();
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
        // The row names a file inside the recap folder; anything else is refused.
        if (!full.StartsWith(Root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }
        return (row, full);
    }
}
