using System.Net;
using LaporBot.Reports;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Reports;

namespace LaporBot.Tests.Privacy;

/// <summary>Phone numbers citizens and staff write into texts are masked in recap summaries and the staff API.
/// SQLite only: masking is applied to texts after they are read; the recap and staff API queries run on both in RecapTests and CasesApiTests.</summary>
public sealed class MaskingTests : IAsyncLifetime
{
    private readonly RecapKit _kit = new();

    public async Task InitializeAsync()
    {
        await _kit.InitializeAsync();
        // The citizen wrote their number into the complaint, every way people write it; the agency quoted it in the answer.
        await Db.ExecuteAsync(_kit.App.DatabasePath,
            """
            UPDATE complaint_personal SET
                text = 'Jalan rusak, hubungi 0812-3456-7890 / +62 812 3456 7890 / 6281234567890 / 0812 3456 7890',
                answer = 'Petugas sudah menelepon +62 812-3456-7890.'
            WHERE complaint_id = (SELECT id FROM complaints WHERE tracking_number = @A)
            """, new { _kit.A });
    }

    private static readonly string[] Forms = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "0812 3456 7890", "+62 812-3456-7890", "3456"];

    [Fact]
    public async Task The_staff_api_masks_phone_numbers_in_the_summary_and_the_answer()
    {
        var r = await _kit.Http.SendAsync(_kit.Get($"/api/v1/cases/{_kit.A}", role: null, apiKey: RecapKit.ApiKey));
        var json = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("hubungi 0*******890 / +62*******890 / 62*******890 / 0*******890", json);
        Assert.Contains("menelepon +62*******890", json);
        foreach (var form in Forms)
        {
            Assert.DoesNotContain(form, json);
        }
    }

    [Fact]
    public async Task Recap_summaries_mask_phone_numbers_in_every_format()
    {
        var csv = RecapReading.Utf8(await (await _kit.Http.SendAsync(_kit.Get("/status/rekap/unduh?periode=2025-07&format=csv", "operator"))).Content.ReadAsByteArrayAsync());
        var report = await _kit.App.Service<RecapService>().BuildAsync(RecapPeriod.Month(2025, 7), new IdentityRequest("uji", "uji masking"));

        Assert.Contains("0*******890", csv);
        Assert.StartsWith("Jalan rusak, hubungi 0*******890 / +62*******890", report.Cases.Single(c => c.Number == _kit.A).Summary);
        foreach (var form in Forms)
        {
            Assert.DoesNotContain(form, csv);
            Assert.DoesNotContain(form, report.Cases.Single(c => c.Number == _kit.A).Summary);
        }
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();
}
