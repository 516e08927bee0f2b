"""The fixed Indonesian labels of the pure domain (criteria bands, SKM kinerja, unsur and profile), as the page's language says them.

The domain keeps its labels in Indonesian because they are the rules' own words and go into official
Word/Excel documents unchanged. Pages pass them through the ``domain_label`` filter so that a user who chose
English reads them in English; on Indonesian pages the filter gives the label back as it is.
"""
from __future__ import annotations

from flask_babel import LazyString, gettext, pgettext
from flask_babel import lazy_gettext as _l

from .formatting import triwulan_short

__all__ = ["AUDIT_ACTIONS", "AUDIT_DETAIL_KEYS", "QUARTER_LONG", "QUARTER_SHORT", "audit_action_label", "audit_details",
           "domain_label"]

#: The quarters' short labels in the page's language ("TW I" … "TW IV", in English "Q1" … "Q4") for pages,
#: menus and charts; the Word and Excel files keep ``formatting.TRIWULAN_LABELS``.
#: The formatter writes the label (the one place for roman numerals); the catalog translates it (the msgids
#: "TW I" … "TW IV" are also the target form's column heads, templates/indicators/targets.html).
QUARTER_SHORT = {tw: LazyString(lambda tw=tw: gettext(triwulan_short(tw))) for tw in range(1, 5)}
#: "Triwulan I" … "Triwulan IV" in the page's language (English "Quarter 1" …); documents use
#: ``formatting.triwulan_label``.
QUARTER_LONG = {1: _l("Triwulan I"), 2: _l("Triwulan II"), 3: _l("Triwulan III"), 4: _l("Triwulan IV")}

_LABELS = {
    # capaian criteria bands (Permendagri 86/2017)
    "Sangat Tinggi": _l("Sangat Tinggi"),
    "Tinggi": _l("Tinggi"),
    "Sedang": _l("Sedang"),
    "Rendah": _l("Rendah"),
    "Sangat Rendah": _l("Sangat Rendah"),
    # SKM kinerja unit pelayanan (PermenPANRB 14/2017)
    "Sangat Baik": _l("Sangat Baik"),
    "Baik": _l("Baik"),
    "Kurang Baik": _l("Kurang Baik"),
    "Tidak Baik": _l("Tidak Baik"),
    # SKM unsur pelayanan (PermenPANRB 14/2017), as the results pages name them
    "Persyaratan": _l("Persyaratan"),
    "Sistem, Mekanisme, dan Prosedur": _l("Sistem, Mekanisme, dan Prosedur"),
    "Waktu Penyelesaian": _l("Waktu Penyelesaian"),
    "Biaya/Tarif": _l("Biaya/Tarif"),
    "Produk Spesifikasi Jenis Pelayanan": _l("Produk Spesifikasi Jenis Pelayanan"),
    "Kompetensi Pelaksana": _l("Kompetensi Pelaksana"),
    "Perilaku Pelaksana": _l("Perilaku Pelaksana"),
    "Sarana dan Prasarana": _l("Sarana dan Prasarana"),
    "Penanganan Pengaduan, Saran dan Masukan": _l("Penanganan Pengaduan, Saran dan Masukan"),
    # the SKM respondent profile: headings and the labels that are words (SD, PNS … stay as they are)
    "Jenis Kelamin": _l("Jenis Kelamin"),
    "Usia": _l("Usia"),
    "Pendidikan": _l("Pendidikan"),
    "Pekerjaan": _l("Pekerjaan"),
    "Jenis Layanan": _l("Jenis Layanan"),
    "Laki-laki": _l("Laki-laki"),
    "Perempuan": _l("Perempuan"),
    "Swasta": _l("Swasta"),
    "Wirausaha": _l("Wirausaha"),
    "Lainnya": _l("Lainnya"),
}


def domain_label(text) -> str:
    """The label in the page's language; an unknown text comes back unchanged."""
    if text is None:
        return ""
    label = _LABELS.get(str(text))
    return str(label) if label is not None else str(text)


#: What each audit action means, for the audit log page (the code itself stays visible for filtering).
AUDIT_ACTIONS = {
    # "Masuk"/"Keluar" alone are the sign-in/out buttons; the context keeps the log's past tense apart.
    "login.success": LazyString(lambda: pgettext("log audit", "Masuk")),
    "login.failed": _l("Gagal masuk"),
    "login.locked": _l("Akun dikunci sementara (terlalu banyak gagal masuk)"),
    "login.refused_inactive": _l("Akun nonaktif mencoba masuk"),
    "logout": LazyString(lambda: pgettext("log audit", "Keluar")),
    "user.created": _l("Pengguna dibuat"),
    "user.updated": _l("Pengguna diubah"),
    "user.activated": _l("Pengguna diaktifkan"),
    "user.deactivated": _l("Pengguna dinonaktifkan"),
    "audit.export": _l("Log audit diunduh"),
    "user.password_reset": _l("Kata sandi diatur ulang oleh admin"),
    "user.password_changed": _l("Kata sandi diganti"),
    "desa.created": _l("Desa ditambahkan"),
    "desa.renamed": _l("Desa diganti nama"),
    "desa.activated": _l("Desa diaktifkan"),
    "desa.deactivated": _l("Desa dinonaktifkan"),
    "section.created": _l("Seksi dibuat"),
    "section.updated": _l("Seksi diubah"),
    "office.updated": _l("Profil kantor diubah"),
    "office.logo_uploaded": _l("Lambang kabupaten diunggah"),
    "office.logo_removed": _l("Lambang kabupaten dihapus"),
    "template.uploaded": _l("Templat kop surat diunggah"),
    "template.reverted": _l("Templat kop surat dikembalikan ke bawaan"),
    "workflow.create": _l("Entri dibuat"),
    "workflow.edit": _l("Entri diubah"),
    "workflow.submit": _l("Entri diajukan"),
    "workflow.approve": _l("Entri disetujui"),
    "workflow.return": _l("Entri dikembalikan"),
    "workflow.reopen": _l("Entri dibuka kembali"),
    "workflow.withdraw": _l("Pengajuan ditarik kembali"),
    "documents.upload": _l("Berkas dokumen diunggah"),
    "documents.requirement.add": _l("Dokumen wajib ditambahkan"),
    "documents.requirement.update": _l("Dokumen wajib diubah"),
    "documents.requirement.remove": _l("Dokumen wajib dihapus"),
    "documents.requirement.copy": _l("Daftar dokumen wajib disalin dari tahun lalu"),
    "indicator.updated": _l("IKU diubah"),
    "indicators.copied": _l("IKU disalin ke tahun lain"),
    "target.changed": _l("Target diubah"),
    "registers.delete": _l("Data register dihapus"),
    "registers.evidence.upload": _l("Bukti data register diunggah"),
    "registers.evidence.delete": _l("Versi bukti data register dihapus"),
    "documents.file.delete": _l("Versi berkas dokumen dihapus"),
    "registers.change_proposed": _l("Perubahan data register diusulkan"),
    "registers.change_revised": _l("Usulan perubahan data register diubah"),
    "registers.change_cancelled": _l("Usulan perubahan data register dibatalkan"),
    "registers.change_applied": _l("Perubahan data register diterapkan"),
    "documents.reopen_requested": _l("Dokumen diminta dibuka kembali"),
    "survey.followup_added": _l("Rencana tindak lanjut SKM ditambahkan"),
    "survey.followup_done": _l("Tindak lanjut SKM ditandai selesai"),
    "survey.kiosk_created": _l("Tautan tablet loket SKM dibuat"),
    "survey.kiosk_revoked": _l("Tablet loket SKM dicabut"),
    "survey.period_opened": _l("Periode SKM dibuka"),
    "survey.period_closed": _l("Periode SKM ditutup"),
    "survey.period_reopened": _l("Periode SKM dibuka kembali"),
    "survey.imported": _l("Data SKM diimpor"),
    "survey.response_updated": _l("Jawaban responden SKM dikoreksi"),
    "survey.response_deleted": _l("Jawaban responden SKM dihapus"),
    "decree.created": _l("Keputusan dibuat"),
    "decree.updated": _l("Keputusan diubah"),
    "decree.version_generated": _l("Draf keputusan dibuat (versi baru)"),
    "decree.finalized": _l("Keputusan ditetapkan final"),
    "decree.amendment_created": _l("SK perubahan dibuat"),
    "lkjip.past_values": _l("Angka tahun sebelumnya LKjIP dicatat"),
    "lkjip.renstra": _l("Target akhir Renstra dicatat"),
    "lkjip.factor_saved": _l("Faktor LKjIP ditulis"),
    "program.create": _l("Program dan anggaran ditambahkan"),
    "program.update": _l("Program dan anggaran diubah"),
    "program.delete": _l("Program dan anggaran dihapus"),
    "program.dpa_imported": _l("Program dan pagu diimpor dari DPA"),
    "pk.created": _l("Perjanjian kinerja dibuat"),
    "pk.updated": _l("Perjanjian kinerja diubah"),
    "pk.rows_set": _l("Indikator perjanjian kinerja diubah"),
    "pk.version_generated": _l("Draf perjanjian kinerja dibuat (versi baru)"),
    "pk.finalized": _l("Perjanjian kinerja ditetapkan final"),
    "pk.amendment_created": _l("PK Perubahan dibuat"),
    "renaksi.targets_set": _l("Target triwulan rencana aksi diubah"),
    "renaksi.action_added": _l("Kegiatan rencana aksi ditambahkan"),
    "renaksi.action_deleted": _l("Kegiatan rencana aksi dihapus"),
    "renaksi.note_saved": _l("Catatan monitoring rencana aksi ditulis"),
    "api_token.created": _l("Token API dibuat"),
    "api_token.revoked": _l("Token API dicabut"),
    "documents.type.create": _l("Jenis dokumen dibuat"),
    "documents.type.update": _l("Jenis dokumen diubah"),
    "documents.type.activate": _l("Jenis dokumen diaktifkan"),
    "documents.type.deactivate": _l("Jenis dokumen dinonaktifkan"),
    "documents.type.delete": _l("Jenis dokumen dihapus"),
    "indicator.added": _l("IKU ditambahkan"),
    "indicator.removed": _l("IKU dihapus"),
    "indicators.renumbered": _l("IKU dinomori ulang"),
    "tujuan.updated": _l("Tujuan diubah"),
    "office.created": _l("Kantor kecamatan dibuat"),
    "office.standard_applied": _l("Standar kabupaten disalin ke kantor"),
    "office.standard_taken": _l("Perubahan standar kabupaten diambil"),
    "kabupaten.standard_copied": _l("Standar kabupaten disalin dari tahun lalu"),
    "kabupaten.standard_indicator_changed": _l("IKU standar kabupaten diubah"),
    "kabupaten.standard_document_saved": _l("Dokumen standar kabupaten disimpan"),
    "kabupaten.standard_document_removed": _l("Dokumen standar kabupaten dihapus"),
    "kabupaten.standard_indicator_added": _l("IKU ditambahkan ke standar kabupaten"),
    "kabupaten.standard_indicator_removed": _l("IKU dihapus dari standar kabupaten"),
    "kabupaten.standard_goals_changed": _l("Tujuan standar kabupaten diubah"),
    "kabupaten.standard_section_saved": _l("Templat seksi kabupaten diubah"),
    "kabupaten.standard_decree_changed": _l("Teks bawaan keputusan kabupaten diubah"),
    "user.password_set": _l("Kata sandi pertama dibuat"),
}


def audit_action_label(code: str) -> str:
    """The action in words, in the page's language; an unknown code comes back as it is."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else code


#: The audit details' keys in words (the log page; the CSV/JSON exports keep the keys as stored). A key not
#: listed is shown as it is.
AUDIT_DETAIL_KEYS = {
    "year": _l("Tahun"), "title": _l("Judul"), "kind": _l("Jenis data"), "note": _l("Catatan"),
    "from_state": _l("Dari status"), "to_state": _l("Ke status"), "state": _l("Status"), "batch": _l("Sekaligus"),
    "reason": _l("Alasan"), "name": _l("Nama"), "number": _l("Nomor"), "code": _l("Kode"), "filename": _l("Nama berkas"),
    "evidence_filename": _l("Berkas bukti"), "sha256": "SHA-256", "evidence_sha256": _l("SHA-256 bukti"),
    "signed_sha256": _l("SHA-256 pindaian"), "size": _l("Ukuran"), "version": _l("Versi"), "old": _l("Lama"),
    "new": _l("Baru"), "before": _l("Sebelum"), "after": _l("Sesudah"), "register": _l("Register"),
    "row": _l("Baris"), "rows": _l("Baris"), "holder": _l("Pihak pertama"), "triwulan": _l("Triwulan"),
    "section": _l("Seksi"), "role": _l("Peran"), "source": _l("Sumber"), "fields": _l("Isian"),
    "changed": _l("Diubah"), "removed": _l("Dihapus"), "kabupaten": _l("Kabupaten"), "due_date": _l("Batas waktu"),
    "period_id": _l("Periode SKM"), "entry_id": _l("Entri"), "via": _l("Melalui"), "count": _l("Jumlah"),
}
_STATE_KEYS = {"from_state", "to_state", "state"}
_LONG = 240


def audit_details(details) -> list[tuple[str, str, str]]:
    """The details of one audit event as (key, label, text) in the page's language: states and kinds in words,
    yes/no, file sizes, lists and tables as compact JSON cut at a readable length."""
    import json

    from .formatting import format_file_size

    if not isinstance(details, dict):
        return []
    out = []
    for key, value in details.items():
        label = AUDIT_DETAIL_KEYS.get(key)
        text = _detail_text(key, value, json, format_file_size)
        out.append((key, str(label) if label is not None else key, text))
    return out


def _detail_text(key: str, value, json, format_file_size) -> str:
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if key in _STATE_KEYS and isinstance(value, str):
        from .models import EntryState

        try:
            return str(EntryState(value).label)
        except ValueError:
            return value
    if key == "kind" and isinstance(value, str):
        from .capability import registry

        kind = registry().kinds.get(value)
        return str(kind.label) if kind is not None else value
    if key == "size" and isinstance(value, int):
        from .number_input import page_locale

        return format_file_size(value, page_locale())
    if isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = str(value)
    return text if len(text) <= _LONG else text[:_LONG - 1] + "…"
