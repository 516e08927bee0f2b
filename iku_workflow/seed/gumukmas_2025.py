"""The Keputusan Camat Gumukmas on its IKU (12 Februari 2025), cleaned of OCR noise.

Source: ``shared/reference/keputusan-camat-gumukmas-iku-2025.txt``. Where the texts go beyond cleaning
the OCR and depart from the signed wording, :data:`SIGNED_CHANGES` lists each change (among them: Tugas
re-lettered a–j where the signed decree uses "a." twice, "SPAN Lapor" written SP4N-LAPOR!, IKU 6's "tahun
2024" a ``{year}`` placeholder filled by :func:`iku_rows`). OCR cleaning only: IKU 2's table row that the
page break split is one list of the nine unsur; IKU 4's fraction, printed twice by the OCR, is one
fraction; "Pebruari" is Februari; spacing, capitals and final punctuation.

Everything is plain data (str, list, dict) so that the web app can store it as JSON and the report
builders can use it without a database.
"""

from __future__ import annotations

import copy

OFFICE = dict(
    code="gumukmas",
    name="Gumukmas",
    kabupaten="Jember",
    address="Jalan Raya A. Yani No. 224",
    telephone="0336-321042",
    city="Gumukmas",
    camat_name="NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si",
    camat_pangkat="Pembina",
    camat_nip="198406242002121001",
)

NOMOR = "000.8.6.3/52/35.09.04/2025"
TANGGAL = "2025-02-12"

#: (code, full name, short name) of the standard units of a kecamatan.
SECTIONS: list[tuple[str, str, str]] = [
    ("sekretariat", "Sekretariat", "Sekretariat"),
    ("pemerintahan", "Seksi Pemerintahan", "Seksi Pemerintahan"),
    ("pelayanan", "Seksi Pelayanan Umum", "Seksi Pelayanan Umum"),
    ("pmks", "Seksi Pemberdayaan Masyarakat dan Kesejahteraan Sosial", "Seksi PMKS"),
    ("trantib", "Seksi Ketenteraman dan Ketertiban Umum", "Seksi Trantib"),
]


def default_tentang(office_name: str, kabupaten: str) -> str:
    return f"Indikator Kinerja Utama Kecamatan {office_name} Kabupaten {kabupaten}"


def default_menimbang(office_name: str, kabupaten: str) -> list[str]:
    return [
        "bahwa untuk melaksanakan ketentuan Pasal 3 dan Pasal 4 Peraturan Menteri Negara "
        "Pendayagunaan Aparatur Negara Nomor PER/9/M.PAN/5/2007 tentang Pedoman Umum Penetapan "
        "Indikator Kinerja Utama di Lingkungan Instansi Pemerintah, perlu menetapkan Indikator "
        f"Kinerja Utama Kecamatan {office_name} Kabupaten {kabupaten} dalam suatu Keputusan "
        f"Camat {office_name};",
    ]


def default_mengingat() -> list[str]:
    return [
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah, sebagaimana telah diubah "
        "dengan Undang-Undang Nomor 9 Tahun 2015;",
        "Peraturan Pemerintah Nomor 39 Tahun 2006 tentang Tata Cara Pengendalian dan Evaluasi "
        "Pelaksanaan Rencana Pembangunan;",
        "Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja Instansi "
        "Pemerintah;",
        "Peraturan Pemerintah Nomor 18 Tahun 2016 tentang Perangkat Daerah;",
        "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
        "Pemerintah;",
        "Peraturan Menteri Dalam Negeri Nomor 13 Tahun 2006 tentang Pedoman Pengelolaan Keuangan "
        "Daerah, sebagaimana telah dua kali diubah terakhir dengan Peraturan Menteri Dalam Negeri "
        "Nomor 21 Tahun 2011;",
        "Peraturan Menteri Negara Pendayagunaan Aparatur Negara Nomor 09/M.PAN/05/2007 tentang "
        "Pedoman Penyusunan Indikator Kinerja Utama di Lingkungan Instansi Pemerintah;",
        "Peraturan Menteri Negara Pendayagunaan Aparatur Negara Nomor 20/M.PAN/11/2008 tentang "
        "Petunjuk Penyusunan Indikator Kinerja Utama;",
        "Peraturan Menteri Negara Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 "
        "Tahun 2014 tentang Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja, dan Tata Cara "
        "Reviu atas Laporan Kinerja Instansi Pemerintah.",
    ]


def default_diktum(office_name: str, kabupaten: str) -> list[dict]:
    """The six diktum, as the seed words them: KESATU names the IKU, KEDUA refers to the
    Lampiran where they are set out."""
    kec = f"Kecamatan {office_name} Kabupaten {kabupaten}"
    return [
        {
            "text": f"Indikator Kinerja Utama {kec}.",
            "items": [],
            "item_style": None,
        },
        {
            "text": f"Indikator Kinerja Utama {kec} sebagaimana dimaksud dalam Diktum KESATU "
            "tersebut dalam Lampiran.",
            "items": [],
            "item_style": None,
        },
        {
            "text": "Indikator Kinerja Utama sebagaimana dimaksud dalam Diktum KESATU dan KEDUA "
            "bertujuan untuk:",
            "items": [
                "Memberikan informasi kinerja yang penting dan diperlukan dalam menyelenggarakan "
                "manajemen kinerja organisasi;",
                "Mengukur keberhasilan pencapaian suatu tujuan dan sasaran strategis yang "
                "digunakan untuk perbaikan kinerja dan peningkatan akuntabilitas kinerja "
                "organisasi.",
            ],
            "item_style": "paren_number",
        },
        {
            "text": f"Indikator Kinerja Utama {kec} sebagaimana dimaksud dalam Diktum KESATU "
            f"merupakan acuan ukuran kinerja yang digunakan oleh {kec} dalam:",
            "items": [
                "Perencanaan Strategis Perangkat Daerah;",
                "Perencanaan Tahunan Perangkat Daerah;",
                "Penyusunan Dokumen Perjanjian Kinerja Perangkat Daerah;",
                "Pelaporan Kinerja Instansi Pemerintah Perangkat Daerah;",
                "Evaluasi Kinerja Instansi Pemerintah Perangkat Daerah.",
            ],
            "item_style": "letter",
        },
        {
            "text": "Indikator Kinerja Utama sebagaimana dimaksud dalam Diktum KESATU disusun "
            f"dengan mengacu pada Indikator Kinerja Utama Pemerintah Kabupaten {kabupaten} dan "
            f"ditetapkan dalam bentuk Keputusan Camat {office_name} Kabupaten {kabupaten}.",
            "items": [],
            "item_style": None,
        },
        {
            "text": f"Keputusan Camat {office_name} ini mulai berlaku pada tanggal ditetapkan.",
            "items": [],
            "item_style": None,
        },
    ]


TUGAS: list[str] = [
    "menyelenggarakan urusan pemerintahan umum;",
    "mengkoordinasikan kegiatan pemberdayaan masyarakat;",
    "mengkoordinasikan upaya penyelenggaraan ketenteraman dan ketertiban umum;",
    "mengkoordinasikan penerapan dan penegakan Peraturan Daerah dan Peraturan Bupati;",
    "mengkoordinasikan pemeliharaan prasarana dan sarana pelayanan umum;",
    "mengkoordinasikan penyelenggaraan kegiatan pemerintahan yang dilakukan oleh Perangkat "
    "Daerah di Kecamatan;",
    "membina dan mengawasi penyelenggaraan kegiatan Desa dan/atau kelurahan;",
    "melaksanakan penyelesaian permasalahan pelayanan pemerintahan di wilayah kecamatan;",
    "melaksanakan Urusan Pemerintahan yang menjadi kewenangan Daerah yang tidak dilaksanakan "
    "oleh unit kerja Perangkat Daerah yang ada di Kecamatan; dan",
    "melaksanakan tugas lain sesuai dengan ketentuan peraturan perundang-undangan.",
]

FUNGSI: list[str] = [
    "pembinaan wawasan kebangsaan dan ketahanan nasional serta pengembangan kehidupan demokrasi;",
    "penanganan konflik sosial;",
    "pengkoordinasian pelaksanaan tugas antar instansi pemerintah baik wilayah antar provinsi dan "
    "daerah;",
    "pelaksanaan peran serta masyarakat dalam perencanaan pembangunan di wilayah kecamatan;",
    "pembinaan dan pengawasan serta pengevaluasian terhadap seluruh program kerja dan kegiatan "
    "di wilayah kecamatan;",
    "pengkoordinasian dengan instansi terkait dalam rangka pelaksanaan tugas;",
    "pemberian fasilitasi penyusunan produk hukum desa berupa peraturan desa dan peraturan "
    "kepala desa;",
    "pemberian fasilitasi administrasi tata pemerintahan desa, pengelolaan keuangan desa, "
    "pendayagunaan aset desa;",
    "pemberian fasilitasi pelaksanaan tugas dan fungsi kepala desa, perangkat desa, badan "
    "permusyawaratan desa, dan lembaga kemasyarakatan desa;",
    "pemberian fasilitasi pemilihan kepala desa, merekomendasikan pengangkatan dan "
    "pemberhentian perangkat desa;",
    "pemberian fasilitasi penetapan lokasi pembangunan kawasan pedesaan, serta penyusunan "
    "perencanaan pembangunan partisipatif;",
    "pemberian fasilitasi kerjasama antar desa dan kerjasama desa dengan pihak ketiga;",
    "pemberian fasilitasi penataan, pemanfaatan dan pendayagunaan ruang desa/kelurahan, "
    "penetapan dan penegasan data desa/kelurahan, serta penyusunan program dan pelaksanaan "
    "pemberdayaan masyarakat desa/kelurahan;",
    "pelaksanaan koordinasi dengan pendamping desa serta pelaksanaan pembangunan kawasan "
    "perdesaan di wilayah kecamatan;",
    "pelaksanaan sebagian kewenangan yang dilimpahkan oleh Bupati;",
    "pelaksanaan pengawasan dan koordinasi di bidang peningkatan kinerja dan disiplin pegawai; dan",
    "pelaksanaan tugas-tugas lain yang diberikan oleh Bupati.",
]

TUJUAN: list[str] = [
    "Meningkatkan kualitas Kelembagaan dan Kapabilitas Penyelenggaraan Pemerintahan Kecamatan "
    "dan Desa dalam upaya meningkatkan Pelayanan Publik.",
    "Meningkatkan Koordinasi Pemerintahan dan Penyelenggara Pemerintahan Wilayah Kecamatan "
    "Gumukmas.",
]

INDIKATOR_TUJUAN: list[str] = ["Hasil Survei Kepuasan Masyarakat (SKM)"]

UNSUR_SKM: list[str] = [
    "Kesesuaian persyaratan",
    "Sistem, mekanisme dan prosedur pelayanan",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Kualitas sarana dan prasarana",
]

_LAPORAN = "laporan/aduan pelanggaran ketertiban umum dan ketentraman masyarakat"

IKU: list[dict] = [
    {
        "number": 1,
        "kinerja_utama": "Meningkatnya penataan organisasi pemerintah daerah dan tata laksana "
        "penyelenggaraan pemerintahan dan pelayanan publik.",
        "indikator": "Jumlah Dokumen Penataan Organisasi dan Tata Laksana Pemerintah Daerah",
        "formulation": [
            {
                "type": "para",
                "label": "Penjelasan Indikator :",
                "text": "Tersedianya Dokumen Penataan Organisasi dan Tata Laksana Pemerintah "
                "Daerah, antara lain berupa:",
            },
            {
                "type": "bullets",
                "items": [
                    "Dokumen LAKIP",
                    "Dokumen Anjab (antara lain berupa dokumen anjab, beserta dokumen ABK, dan "
                    "peta jabatan)",
                    "Dokumen Penataan Organisasi/kelembagaan, antara lain berupa data pengisian "
                    "evaluasi mandiri kematangan organisasi, laporan sistem kerja",
                    "Dokumen Pelayanan Publik dan Tata Laksana (antara lain berupa dokumen "
                    "Standar Pelayanan, dokumen SOP pelayanan publik, laporan Survei Kepuasan "
                    "Masyarakat, laporan Forum Konsultasi Publik/FKP, peta proses bisnis)",
                ],
            },
        ],
        "sections": ["camat"],
        "bidang_text": "Camat",
        "sumber_data": "Data penataan organisasi, kinerja pelayanan publik dan tata laksana",
        "unit": "dokumen",
        "polarity": "higher",
        "year_rule": "last",
        "measure": "document_count",
    },
    {
        "number": 2,
        "kinerja_utama": "Meningkatnya Kepuasan Masyarakat dalam hal Pelayanan Publik yang "
        "Merata dan Berkualitas di Kecamatan",
        "indikator": "Indeks Kepuasan Masyarakat",
        "formulation": [
            {"type": "para", "label": "Penjelasan Indikator :", "text": ""},
            {
                "type": "numbered",
                "items": [
                    "Indeks Kepuasan Masyarakat (IKM) merupakan data dan informasi tentang "
                    "tingkat kepuasan masyarakat terhadap pelayanan publik.",
                    "Perhitungan nilai IKM datanya diinput dan diolah melalui Sistem Informasi "
                    "(e-SUKMA).",
                    "Indeks Kepuasan Masyarakat berpedoman pada PermenPANRB Nomor 14 Tahun 2017 "
                    "tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara "
                    "Pelayanan Publik.",
                    {
                        "text": "Unsur pelayanan yang dinilai dalam IKM meliputi:",
                        "children": [{"type": "bullets", "items": list(UNSUR_SKM)}],
                    },
                ],
            },
        ],
        "sections": ["pemerintahan", "pelayanan", "pmks", "trantib"],
        "bidang_text": "Seksi Pemerintahan\nSeksi Pelayanan Umum\nSeksi PMKS\nSeksi Trantib",
        "sumber_data": "SUKMA-E",
        "unit": "indeks",
        "polarity": "higher",
        "year_rule": "last",
        "measure": "survey_index",
    },
    {
        "number": 3,
        "kinerja_utama": "Meningkatnya Fasilitasi Kesejahteraan Masyarakat Kecamatan",
        "indikator": "Persentase Fasilitasi Kesejahteraan Masyarakat yang dilaksanakan",
        "formulation": [
            {
                "type": "fraction",
                "label": "Formulasi Kegiatan :",
                "numerator": "Jumlah kegiatan pemberdayaan masyarakat yang difasilitasi",
                "denominator": "Jumlah kegiatan pemberdayaan masyarakat yang "
                "ditargetkan/direncanakan",
                "factor": "× 100%",
            },
            {"type": "para", "label": "Penjelasan :", "text": ""},
            {
                "type": "bullets",
                "items": [
                    "Kegiatan pemberdayaan masyarakat adalah seluruh kegiatan pemberdayaan "
                    "ekonomi dan sosial masyarakat, antara lain berupa pelatihan keterampilan, "
                    "sosialisasi, fasilitasi penyaluran bantuan bahan/alat.",
                ],
            },
        ],
        "sections": ["pmks"],
        "bidang_text": "Seksi Pemberdayaan Masyarakat dan Kesejahteraan Sosial",
        "sumber_data": "Dokumen laporan fasilitasi kegiatan pemberdayaan masyarakat",
        "unit": "%",
        "polarity": "higher",
        "year_rule": "last",
        "measure": "ratio",
    },
    {
        "number": 4,
        "kinerja_utama": "Terjaganya ketertiban umum dan ketentraman masyarakat di Kecamatan",
        "indikator": "Persentase Tingkat Penyelesaian Laporan dan Pelanggaran Ketertiban Umum "
        "serta Ketentraman Masyarakat",
        "formulation": [
            {
                "type": "fraction",
                "label": "Formulasi Perhitungan :",
                "numerator": f"Jumlah {_LAPORAN} yang diselesaikan",
                "denominator": f"Jumlah {_LAPORAN} yang masuk",
                "factor": "× 100%",
            },
            {"type": "para", "label": "Penjelasan Indikator :", "text": ""},
            {
                "type": "bullets",
                "items": [
                    "Laporan/aduan pelanggaran ketertiban umum dan ketentraman masyarakat yang "
                    "masuk adalah berdasarkan laporan gangguan ketertiban dan ketentraman umum "
                    "melalui berbagai media pengaduan, antara lain laporan langsung (lisan), "
                    "surat pengaduan, pesan singkat pada nomor WA pengaduan, SP4N-LAPOR! "
                    "ataupun media sosial kecamatan.",
                ],
            },
        ],
        "sections": ["trantib"],
        "bidang_text": "Seksi Trantib",
        "sumber_data": f"Dokumen {_LAPORAN} di kecamatan",
        "unit": "%",
        "polarity": "higher",
        "year_rule": "last",
        "measure": "ratio",
    },
    {
        "number": 5,
        "kinerja_utama": "Meningkatnya kualitas pengelolaan keuangan dan aset daerah yang "
        "profesional, efektif, dan efisien.",
        "indikator": "Nilai SAKIP OPD",
        "formulation": [
            {"type": "para", "label": "Penjelasan Indikator :", "text": ""},
            {
                "type": "numbered",
                "items": [
                    "Nilai SAKIP PD adalah nilai hasil evaluasi atas implementasi AKIP PD yang "
                    "penilaiannya dilakukan oleh Evaluator Kabupaten Jember.",
                    "Kategori dan nilai hasil evaluasi AKIP berpedoman pada PermenPANRB Nomor 88 "
                    "Tahun 2021 dan pedoman evaluasi internal di Pemerintah Kabupaten Jember.",
                ],
            },
        ],
        "sections": ["camat"],
        "bidang_text": "Camat",
        "sumber_data": "Laporan Hasil Evaluasi (LHE) PD",
        "unit": "nilai",
        "polarity": "higher",
        "year_rule": "last",
        "measure": "score",
    },
    {
        "number": 6,
        "kinerja_utama": "Meningkatnya Efektifitas Pencapaian Target Kinerja Perangkat Daerah",
        "indikator": "Persentase Indikator Program yang tercapai",
        "formulation": [
            {
                "type": "fraction",
                "label": "Formulasi Perhitungan :",
                "numerator": "Jumlah indikator program yang tercapai",
                "denominator": "Jumlah seluruh indikator program",
                "factor": "× 100%",
            },
            {
                "type": "para",
                "label": "Penjelasan Indikator :",
                "text": "Indikator program adalah indikator seluruh program PD yang direncanakan "
                "pada tahun {year} berdasarkan dokumen Renja dan DPA.",
            },
        ],
        "sections": ["sekcam"],
        "bidang_text": "Sekcam",
        "sumber_data": "LAKIP",
        "unit": "%",
        "polarity": "higher",
        "year_rule": "last",
        "measure": "ratio",
    },
]


#: Where the default texts depart from the signed decree beyond cleaning the OCR (spacing, capitals,
#: punctuation): each change with the place, the signed wording, ours and why. The decree editor shows
#: the Camat a note for each one still present in the draft. ``field`` is the decree field holding the
#: text ("mengingat", "diktum", "tugas"), "iku" for the IKU table (with ``number``) or "indikator_tujuan";
#: ``find`` (or else ``ours``) is looked for there, ``{year}`` being the decree's year; ``always`` marks a
#: change of form that every draft carries (the numbering).
SIGNED_CHANGES: list[dict] = [
    {
        "field": "mengingat", "place": "Mengingat angka 9",
        "signed": "Nomor 53 Tahun 2015", "ours": "Nomor 53 Tahun 2014",
        "why": "Peraturan Menteri PANRB tentang Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja, "
               "dan Tata Cara Reviu atas Laporan Kinerja Instansi Pemerintah bernomor 53 Tahun 2014.",
    },
    {
        "field": "diktum", "place": "Diktum KELIMA",
        "signed": "dictum KESATU", "ours": "Diktum KESATU",
        "why": "Ejaan baku, sama dengan diktum lainnya.",
    },
    {
        "field": "tugas", "place": "Lampiran, Tugas", "always": True,
        "signed": "butir a., a., b., … i. (huruf a dipakai dua kali)", "ours": "butir a. sampai j.",
        "why": "Penomoran urut.",
    },
    {
        "field": "indikator_tujuan", "place": "Lampiran, Indikator Tujuan",
        "signed": "Hasil Survey Kepuasan Masyarakat", "ours": "Hasil Survei Kepuasan Masyarakat",
        "why": "Ejaan baku (KBBI: survei).",
    },
    {
        "field": "iku", "number": 2, "place": "IKU 2, penjelasan butir 2",
        "signed": "diinput dan diolah menggunakan melalui Sistem Informasi (e-SUKMA)",
        "ours": "diinput dan diolah melalui Sistem Informasi (e-SUKMA)",
        "why": "Kata \"menggunakan\" dan \"melalui\" bertumpuk; satu cukup.",
    },
    {
        "field": "iku", "number": 2, "place": "IKU 2, penjelasan butir 3",
        "signed": "Survei Kepuasan Masyarakat Unit Pelayanan Publik",
        "ours": "Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik",
        "why": "Judul PermenPANRB Nomor 14 Tahun 2017 sebagaimana diundangkan.",
    },
    {
        "field": "iku", "number": 4, "place": "IKU 4, penjelasan",
        "signed": "SPAN Lapor", "ours": "SP4N-LAPOR!",
        "why": "Nama resmi Sistem Pengelolaan Pengaduan Pelayanan Publik Nasional.",
    },
    {
        "field": "iku", "number": 5, "place": "IKU 5, penjelasan butir 1",
        "signed": "yang nilainya dilakukan oleh Evaluator", "ours": "yang penilaiannya dilakukan oleh Evaluator",
        "why": "Yang dilakukan evaluator adalah penilaiannya, bukan nilainya.",
    },
    {
        "field": "iku", "number": 5, "place": "IKU 5, penjelasan butir 2",
        "signed": "Katagori … pedoman evaluasi internal di Pemkab Jember",
        "ours": "Kategori … pedoman evaluasi internal di Pemerintah Kabupaten Jember",
        "find": "Pemerintah Kabupaten Jember",
        "why": "Ejaan baku dan singkatan ditulis lengkap.",
    },
    {
        "field": "iku", "number": 6, "place": "IKU 6, penjelasan",
        "signed": "direncanakan pada tahun 2024", "ours": "direncanakan pada tahun {year}",
        "why": "Teks bawaan memakai tahun keputusan; keputusan 2025 yang ditandatangani menulis 2024.",
    },
]


def _fill(value, year: int):
    # Only str.replace on the one placeholder: texts may hold other braces.
    if isinstance(value, str):
        return value.replace("{year}", str(year))
    if isinstance(value, list):
        return [_fill(v, year) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, year) for k, v in value.items()}
    return value


def iku_rows(year: int) -> list[dict]:
    """A deep copy of :data:`IKU` with ``{year}`` replaced by ``year`` everywhere."""
    return _fill(copy.deepcopy(IKU), year)
