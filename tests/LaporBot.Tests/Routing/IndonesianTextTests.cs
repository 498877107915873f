using LaporBot.Routing;

namespace LaporBot.Tests.Routing;

/// <summary>Normalisation, reduplication and stemming on words that turn up in real complaints.</summary>
public class IndonesianTextTests
{
    [Theory]
    [InlineData("Jalan RUSAK!!!", "jalan rusak")]
    [InlineData("  sampah,menumpuk...  di   TPS ", "sampah menumpuk di tps")]
    [InlineData("Pelayanan café «Kopi» — buruk", "pelayanan cafe kopi buruk")]
    [InlineData("Jum'at kemarin", "jumat kemarin")]
    [InlineData("e-KTP saya", "e-ktp saya")]
    [InlineData("RT 03/RW 05", "rt 03 rw 05")]
    [InlineData("", "")]
    [InlineData("?!", "")]
    public void Normalize_lowercases_and_strips_punctuation_and_diacritics(string text, string expected) =>
        Assert.Equal(expected, IndonesianText.Normalize(text));

    [Theory]
    [InlineData("Jalan-jalan di desa kami rusak", "jalan|di|desa|kami|rusak")]
    [InlineData("jalan2 berlubang", "jalan|berlubang")]
    [InlineData("sayur-sayuran busuk", "sayuran|busuk")]
    [InlineData("berjalan-jalan ke taman", "berjalan|ke|taman")]
    [InlineData("e-KTP belum jadi", "e|ktp|belum|jadi")]
    [InlineData("anti-korupsi", "anti|korupsi")]
    [InlineData("nomor 2", "nomor|2")]
    [InlineData("COVID-19", "covid|19")]
    public void Words_split_and_fold_reduplication(string text, string expected) =>
        Assert.Equal(expected.Split('|'), IndonesianText.Words(text));

    // Word → a stem it must produce. Every word of the brief's list is here.
    [Theory]
    [InlineData("jalan", "jalan")]
    [InlineData("jalanan", "jalan")]
    [InlineData("jalannya", "jalan")]
    [InlineData("dijalan", "jalan")]           // "di jalan" typed as one word
    [InlineData("berlubang", "lubang")]
    [InlineData("lubangnya", "lubang")]
    [InlineData("kerusakan", "rusak")]
    [InlineData("merusak", "rusak")]
    [InlineData("sampahnya", "sampah")]
    [InlineData("persampahan", "sampah")]
    [InlineData("kebanjiran", "banjir")]
    [InlineData("penerangan", "terang")]
    [InlineData("airnya", "air")]
    [InlineData("pdam", "pdam")]
    [InlineData("listriknya", "listrik")]
    [InlineData("bersekolah", "sekolah")]
    [InlineData("sekolahnya", "sekolah")]
    [InlineData("gurunya", "guru")]
    [InlineData("puskesmasnya", "puskesmas")]
    [InlineData("berobat", "obat")]
    [InlineData("pungutan", "pungut")]
    [InlineData("memungut", "pungut")]
    [InlineData("disuap", "suap")]
    [InlineData("menyuap", "suap")]
    [InlineData("penyuapan", "suap")]
    [InlineData("dikorupsi", "korupsi")]
    [InlineData("menyogok", "sogok")]
    [InlineData("pemerasan", "peras")]
    [InlineData("diperas", "peras")]
    [InlineData("memeras", "peras")]
    [InlineData("perizinan", "izin")]
    [InlineData("kependudukan", "penduduk")]
    [InlineData("kependudukan", "duduk")]
    [InlineData("kelahiran", "lahir")]
    [InlineData("diperbaiki", "baik")]
    [InlineData("memperbaiki", "baik")]
    [InlineData("perbaikan", "baik")]
    [InlineData("meminta", "minta")]
    [InlineData("dimintai", "minta")]
    [InlineData("mengurus", "urus")]
    [InlineData("pencemaran", "cemar")]
    [InlineData("tercemar", "cemar")]
    [InlineData("ketertiban", "tertib")]
    [InlineData("penertiban", "tertib")]
    [InlineData("menyalahgunakan", "salahguna")]
    [InlineData("penyalahgunaan", "salahguna")]
    [InlineData("kemacetan", "macet")]
    [InlineData("tumpukan", "tumpuk")]
    [InlineData("menumpuk", "tumpuk")]
    [InlineData("bolosnya", "bolos")]
    [InlineData("sekolahlah", "sekolah")]
    public void Stems_include_the_root(string word, string root) =>
        Assert.Contains(root, IndonesianText.Stems(word));

    // Words that are roots already, or too short to stem safely: nothing is cut off them.
    [Theory]
    [InlineData("air")]
    [InlineData("ktp")]
    [InlineData("kk")]
    [InlineData("akta")]
    [InlineData("izin")]
    [InlineData("suap")]
    [InlineData("calo")]
    [InlineData("korupsi")]      // -i without a prefix is part of the root
    [InlineData("gratifikasi")]
    [InlineData("pungli")]
    [InlineData("kali")]
    [InlineData("lampu")]
    [InlineData("rusak")]
    [InlineData("dinas")]        // "di" + "nas" would leave too little
    [InlineData("jalan")]        // "jal" + "-an" would leave too little
    public void Stems_of_a_root_are_just_the_root(string word) =>
        Assert.Equal([word], IndonesianText.Stems(word));

    [Fact]
    public void Stems_list_the_word_itself_first()
    {
        var stems = IndonesianText.Stems("Kerusakannya");
        Assert.Equal("kerusakannya", stems[0]);
        Assert.Equal(stems.Count, stems.Distinct().Count());
    }

    // Text word, keyword word, whether they match. Keywords are taken as written.
    [Theory]
    [InlineData("berlubang", "lubang", true)]
    [InlineData("persampahan", "sampah", true)]
    [InlineData("kebanjiran", "banjir", true)]
    [InlineData("penerangan", "penerangan", true)]
    [InlineData("perizinan", "izin", true)]
    [InlineData("kependudukannya", "kependudukan", true)]
    [InlineData("KTP", "ktp", true)]
    [InlineData("Sampah", "SAMPAH", true)]
    [InlineData("penyuapan", "suap", true)]
    [InlineData("menyogok", "sogok", true)]
    // Keywords are not stemmed, so a derived keyword stays narrow:
    [InlineData("duduk", "kependudukan", false)]
    [InlineData("terang", "penerangan", false)]
    [InlineData("memeras", "pemerasan", false)]      // squeezing coconut milk is not extortion
    [InlineData("izin", "perizinan", false)]         // "mohon izin" is politeness
    // False friends: the derived meaning has left the root behind.
    [InlineData("berjalan", "jalan", false)]         // "berjalan lancar" = went smoothly
    [InlineData("perjalanan", "jalan", false)]       // a trip
    [InlineData("menjalankan", "jalan", false)]      // to run (a programme)
    [InlineData("perjalanannya", "jalan", false)]
    [InlineData("disuapi", "suap", false)]           // spoon-fed
    [InlineData("menyuapi", "suap", false)]
    [InlineData("sesuap", "suap", false)]            // a mouthful
    [InlineData("airmata", "air", false)]            // whole words only
    [InlineData("sampai", "sampah", false)]
    [InlineData("pengairan", "air", false)]          // irrigation: stem too short to trust
    [InlineData("jalan", "jalanan", false)]
    [InlineData("", "jalan", false)]
    [InlineData("jalan", "", false)]
    public void Matches_whole_words_and_their_derived_forms(string word, string keyword, bool expected) =>
        Assert.Equal(expected, IndonesianText.Matches(word, keyword));
}
