using System.Globalization;
using Microsoft.Extensions.Options;

namespace LaporBot.Complaints;

/// <summary>The deployment's one setting for where it is: <c>Deployment:TimeZone</c>.</summary>
internal sealed class DeploymentOptions
{
    public const string Section = "Deployment";

    /// <summary>
    /// The regency's time zone (IANA id): Asia/Jakarta (WIB), Asia/Pontianak (WIB), Asia/Makassar
    /// (WITA) or Asia/Jayapura (WIT). Deadlines, working hours, every date shown to citizens and
    /// staff, recaps, tracking-number months and the scheduled jobs' times all use it.
    /// </summary>
    public string TimeZone { get; set; } = LocalZone.DefaultId;
}

/// <summary>
/// The deployment's wall clock: one zone for everything, and the one way a date and time is written
/// (<c>24-11-2026 09:05 WITA</c>; a date alone <c>24-11-2026</c>), with the abbreviation matching
/// the zone. Indonesia has had no daylight saving since 1964, so an offset per zone is exact.
/// </summary>
internal sealed class LocalZone
{
    public const string DefaultId = "Asia/Jakarta";

    /// <summary>The one written form of a local date and time; the zone's abbreviation follows it.</summary>
    public const string DateTimePattern = "dd-MM-yyyy HH:mm";

    /// <summary>The one written form of a local date.</summary>
    public const string DatePattern = "dd-MM-yyyy";

    /// <summary>Settings that used to carry a time zone of their own; start-up refuses them (see <see cref="DeploymentOptionsValidator"/>).</summary>
    public static readonly IReadOnlyList<string> RetiredKeys = ["Complaints:TimeZone", "Calendar:TimeZone"];

    private static readonly Dictionary<string, (string Abbreviation, int Hours)> Indonesian = new(StringComparer.Ordinal)
    {
        ["Asia/Jakarta"] = ("WIB", 7),
        ["Asia/Pontianak"] = ("WIB", 7),
        ["Asia/Makassar"] = ("WITA", 8),
        ["Asia/Ujung_Pandang"] = ("WITA", 8),
        ["Asia/Jayapura"] = ("WIT", 9),
    };

    public static readonly LocalZone Jakarta = new(DefaultId);

    public LocalZone(string id)
    {
        if (!Indonesian.TryGetValue(id, out var known))
        {
            throw new ArgumentException(
                $"'{id}' is not one of Indonesia's time zones; use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).", nameof(id));
        }
        Id = id;
        Abbreviation = known.Abbreviation;
        Zone = FindZone(id, known.Abbreviation, known.Hours);
    }

    public LocalZone(IOptions<DeploymentOptions> options) : this(options.Value.TimeZone)
    {
    }

    public string Id { get; }

    /// <summary>WIB, WITA or WIT.</summary>
    public string Abbreviation { get; }

    public TimeZoneInfo Zone { get; }

    public static bool IsKnown(string id) => Indonesian.ContainsKey(id);

    public DateTimeOffset ToLocal(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone);

    public DateTimeOffset ToLocal(long unixMs) => ToLocal(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(ToLocal(now).DateTime);

    /// <summary>Local midnight starting that date, as an instant.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>"24-11-2026 09:05 WITA".</summary>
    public string Format(DateTimeOffset t) =>
        ToLocal(t).ToString(DateTimePattern, CultureInfo.InvariantCulture) + " " + Abbreviation;

    /// <summary>A stored time (Unix ms) written out; "–" when there is none.</summary>
    public string Format(long? unixMs) => unixMs is { } ms ? Format(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : "–";

    /// <summary>A local wall-clock time already in this zone (recap cells), written the one way.</summary>
    public string FormatLocal(DateTime local) => local.ToString(DateTimePattern, CultureInfo.InvariantCulture) + " " + Abbreviation;

    public static string FormatDate(DateOnly d) => d.ToString(DatePattern, CultureInfo.InvariantCulture);

    /// <summary>
    /// The zone from raw configuration, for registrations that run before the container exists
    /// (Quartz cron triggers). An unusable value yields Jakarta here so that the validator, not a
    /// registration lambda, reports it.
    /// </summary>
    public static LocalZone FromConfiguration(IConfiguration config)
    {
        var id = config[DeploymentOptions.Section + ":TimeZone"];
        return string.IsNullOrWhiteSpace(id) || !IsKnown(id) ? Jakarta : new LocalZone(id);
    }

    private static TimeZoneInfo FindZone(string id, string abbreviation, int hours)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Minimal containers may lack tzdata; these zones have a fixed offset.
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(hours), abbreviation, abbreviation);
        }
    }
}

/// <summary>
/// Refuses a zone LaporBot cannot name (WIB/WITA/WIT), and the retired per-feature keys: a
/// deployment that still sets Calendar:TimeZone would otherwise silently run on another clock.
/// </summary>
internal sealed class DeploymentOptionsValidator(IConfiguration config) : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions o)
    {
        var errors = new List<string>();
        if (!LocalZone.IsKnown(o.TimeZone))
        {
            errors.Add($"Deployment:TimeZone '{o.TimeZone}' is not one of Indonesia's time zones; use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).");
        }
        foreach (var key in LocalZone.RetiredKeys)
        {
            if (config[key] is { } old)
            {
                errors.Add($"{key} ('{old}') is no longer read: a deployment has one time zone, Deployment:TimeZone (now '{o.TimeZone}'), " +
                           $"used by deadlines, messages, the status page, recaps and scheduled jobs. Move the value to Deployment:TimeZone and remove {key}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal static class LocalZoneRegistration
{
    public static WebApplicationBuilder AddLocalZone(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeploymentOptions>().Bind(builder.Configuration.GetSection(DeploymentOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeploymentOptions>>(new DeploymentOptionsValidator(builder.Configuration));
        services.AddSingleton<LocalZone>();
        // The working calendar keeps its zone property; it is filled from the one setting, never bound.
        services.AddOptions<Workflow.CalendarOptions>().PostConfigure<IOptions<DeploymentOptions>>((c, d) =>
            c.TimeZone = LocalZone.IsKnown(d.Value.TimeZone) ? d.Value.TimeZone : LocalZone.DefaultId);
        return builder;
    }
}
