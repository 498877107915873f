namespace LaporBot.Routing;

/// <summary>
/// A misconduct signal that needs two parts: someone in office (<see cref="Who"/>) and an act
/// (<see cref="What"/>), anywhere in the text. "minta uang" alone is a neighbour asking for a
/// loan; "petugas … minta uang" is extortion.
/// </summary>
internal sealed record OversightCombination(IReadOnlyList<string> Who, IReadOnlyList<string> What);

/// <summary>
/// Complaints <em>berkadar pengawasan</em> (about misconduct of officials) go to the inspectorate
/// (APIP) whatever their subject, per the SP4N-LAPOR! SOP. Keywords match like agency keywords:
/// whole words, the keyword as written against the text word or its stems.
/// </summary>
internal sealed record OversightRules(
    string InspectorateCode,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<OversightCombination> Combinations)
{
    public const string DefaultInspectorateCode = "INSPEKTORAT";

    // People in office. Not "polisi": the police answer to their own oversight, not a regency's
    // inspectorate, and not "guru"/"dokter" alone, who are mostly the subject of a service complaint.
    private static readonly string[] Officials =
    [
        "pegawai", "petugas", "oknum", "pejabat", "asn", "pns", "aparat", "aparatur", "honorer", "staf",
        "lurah", "camat", "kades", "kepala desa", "perangkat desa", "sekdes",
    ];

    /// <summary>
    /// The built-in list. Words are written as roots where every derived form is misconduct
    /// ("suap" also finds disuap, menyuap, penyuapan) and in the derived form where the root is
    /// innocent ("pemerasan", not "peras", which is also squeezing coconut milk). "KKN" is left
    /// out on purpose: it is also Kuliah Kerja Nyata, students' community service.
    /// </summary>
    public static OversightRules Default { get; } = new(
        DefaultInspectorateCode,
        [
            "pungli", "pungutan liar", "suap", "sogok", "korupsi", "gratifikasi", "pemerasan",
            "nepotisme", "kolusi", "penyalahgunaan wewenang", "menyalahgunakan wewenang",
            "penyalahgunaan jabatan", "jual beli jabatan", "uang rokok", "uang pelicin", "uang pelancar",
            "uang kopi", "mark up", "markup",
        ],
        [
            new(Officials, ["minta uang", "minta bayaran", "minta imbalan", "pungut", "peras", "tanpa kuitansi", "tanpa kwitansi"]),
            new(Officials, ["tidak masuk kerja", "tidak pernah masuk", "jarang masuk", "bolos", "mangkir"]),
            // A broker (calo) is a service complaint only when a public service or office is involved;
            // ticket touts at a bus terminal are the transport office's business.
            new(["calo"], [.. Officials, "ktp", "kk", "kartu keluarga", "akta", "perizinan", "izin usaha", "sertifikat",
                "kantor", "dinas", "kelurahan", "kecamatan", "balai desa", "dukcapil", "disdukcapil"]),
        ]);

    /// <summary>These rules plus configured extras (e.g. a regency's own local terms).</summary>
    public OversightRules Extend(IEnumerable<string>? keywords = null, IEnumerable<OversightCombination>? combinations = null) =>
        this with
        {
            Keywords = [.. Keywords, .. keywords ?? []],
            Combinations = [.. Combinations, .. combinations ?? []],
        };
}
