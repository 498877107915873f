using LaporBot.Routing;

namespace LaporBot.Tests.Routing;

/// <summary>
/// A realistic regency's agencies (OPD) and their keywords, for the routing tests and the
/// README example. Keywords are written as roots when every derived form belongs to the agency
/// ("cemar" finds tercemar, pencemaran) and in a derived form when the root is too broad
/// ("perizinan" but not "izin", which is also the polite "mohon izin"; "kebakaran" but not
/// "bakar", which is also burning rubbish). Generic words ("rusak", "mati", "bocor") are only
/// used inside phrases, because every complaint has them.
/// </summary>
internal static class SampleAgencies
{
    public static readonly AgencyRule Dpupr = new("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang",
        ["jalan", "jembatan", "drainase", "gorong-gorong", "selokan", "trotoar", "aspal", "lubang", "irigasi",
         "jalan rusak", "jalan berlubang", "lampu jalan", "penerangan jalan", "pju", "saluran air", "tata ruang"],
        ["infrastruktur", "pekerjaan umum"]);

    public static readonly AgencyRule Dlh = new("DLH", "Dinas Lingkungan Hidup",
        ["sampah", "limbah", "cemar", "tps", "bau busuk", "sampah menumpuk", "tumpukan sampah", "truk sampah",
         "pembakaran sampah", "asap pabrik"],
        ["lingkungan hidup", "kebersihan"]);

    public static readonly AgencyRule Dinkes = new("DINKES", "Dinas Kesehatan",
        ["puskesmas", "rumah sakit", "rsud", "obat", "dokter", "bidan", "perawat", "posyandu", "pasien",
         "demam berdarah", "dbd", "fogging", "imunisasi", "vaksin", "stunting"],
        ["kesehatan"]);

    public static readonly AgencyRule Disdik = new("DISDIK", "Dinas Pendidikan",
        ["sekolah", "guru", "murid", "siswa", "ppdb", "zonasi", "ijazah", "dana bos", "kepala sekolah", "sd", "smp"],
        ["pendidikan"]);

    public static readonly AgencyRule Disdukcapil = new("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil",
        ["ktp", "kk", "kartu keluarga", "akta", "akta kelahiran", "akta kematian", "kia", "nik", "surat pindah",
         "dukcapil", "blangko"],
        ["kependudukan", "catatan sipil"]);

    public static readonly AgencyRule Dishub = new("DISHUB", "Dinas Perhubungan",
        ["parkir", "parkir liar", "juru parkir", "angkot", "angkutan umum", "terminal", "halte", "rambu",
         "lampu lalu lintas", "lampu merah", "traffic light", "marka jalan", "macet"],
        ["perhubungan", "lalu lintas"]);

    public static readonly AgencyRule Pdam = new("PDAM", "Perumda Air Minum",
        ["pdam", "air pdam", "perumda air minum", "air mati", "air keruh", "air macet", "air tidak mengalir", "air tidak keluar",
         "pipa bocor", "pipa pecah", "meteran air", "tagihan air"],
        ["air bersih"]);

    public static readonly AgencyRule Dpmptsp = new("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        ["perizinan", "izin usaha", "izin mendirikan bangunan", "imb", "pbg", "nib", "oss", "siup"],
        ["investasi"]);

    public static readonly AgencyRule SatpolPp = new("SATPOLPP", "Satuan Polisi Pamong Praja",
        ["pkl", "pedagang kaki lima", "tertib", "bangunan liar", "pengamen", "pengemis", "gelandangan",
         "minuman keras", "miras", "balap liar"],
        ["ketertiban umum"]);

    public static readonly AgencyRule Bpbd = new("BPBD", "Badan Penanggulangan Bencana Daerah",
        ["banjir", "longsor", "kebakaran", "gempa", "puting beliung", "angin kencang", "pohon tumbang",
         "tanggul jebol", "bencana"],
        ["penanggulangan bencana"]);

    // Agencies named in the seed SOPs: the tourism, sports and culture office (Disporbudpar),
    // the communications office, and the inspectorate (APIP).
    public static readonly AgencyRule Disporbudpar = new("DISPORBUDPAR", "Dinas Pemuda, Olahraga, Kebudayaan dan Pariwisata",
        ["wisata", "pariwisata", "objek wisata", "gor", "stadion", "lapangan olahraga", "cagar budaya", "seni"],
        ["olahraga", "kebudayaan"]);

    public static readonly AgencyRule Diskominfo = new("DISKOMINFO", "Dinas Komunikasi dan Informatika",
        ["wifi", "internet", "sinyal", "website", "situs pemda", "menara telekomunikasi"],
        ["komunikasi dan informatika"]);

    public static readonly AgencyRule Inspektorat = new("INSPEKTORAT", "Inspektorat Daerah",
        ["inspektorat", "apip"],
        ["pengawasan aparatur"]);

    public static IReadOnlyList<AgencyRule> All { get; } =
    [
        Dpupr, Dlh, Dinkes, Disdik, Disdukcapil, Dishub, Pdam, Dpmptsp, SatpolPp, Bpbd, Disporbudpar, Diskominfo, Inspektorat,
    ];
}
