"""The document types of IKU 1, as the decree's explanation lists them, and who prepares each.

Keputusan Camat Gumukmas 2025, lampiran, IKU 1 "Jumlah Dokumen Penataan Organisasi dan Tata Laksana
Pemerintah Daerah": Dokumen LAKIP; Dokumen Anjab (anjab, ABK, peta jabatan); Dokumen Penataan
Organisasi (evaluasi mandiri kematangan organisasi, laporan sistem kerja); Dokumen Pelayanan Publik
dan Tata Laksana (standar pelayanan, SOP pelayanan publik, laporan SKM, laporan FKP, peta proses bisnis).
"""
from __future__ import annotations

from ..models import DocumentGroup as G

# code, name, group, default responsible section, default due (month, day)
CATALOGUE: list[tuple[str, str, G, str, tuple[int, int]]] = [
    ("lakip", "Dokumen LAKIP", G.LAKIP, "sekretariat", (2, 28)),
    ("anjab", "Analisis Jabatan (Anjab)", G.ANJAB, "sekretariat", (4, 30)),
    ("abk", "Analisis Beban Kerja (ABK)", G.ANJAB, "sekretariat", (4, 30)),
    ("peta_jabatan", "Peta Jabatan", G.ANJAB, "sekretariat", (5, 31)),
    ("emko", "Evaluasi Mandiri Kematangan Organisasi", G.ORGANISASI, "sekretariat", (6, 30)),
    ("sistem_kerja", "Laporan Sistem Kerja", G.ORGANISASI, "sekretariat", (9, 30)),
    ("standar_pelayanan", "Standar Pelayanan", G.PELAYANAN, "pelayanan", (3, 31)),
    ("sop", "SOP Pelayanan Publik", G.PELAYANAN, "pelayanan", (3, 31)),
    ("laporan_skm", "Laporan Survei Kepuasan Masyarakat", G.PELAYANAN, "pelayanan", (12, 15)),
    ("laporan_fkp", "Laporan Forum Konsultasi Publik (FKP)", G.PELAYANAN, "pelayanan", (8, 31)),
    ("peta_proses_bisnis", "Peta Proses Bisnis", G.PELAYANAN, "pelayanan", (10, 31)),
]
CODES = [row[0] for row in CATALOGUE]
