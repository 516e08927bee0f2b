from iku_workflow.seed import gumukmas_2025 as seed


def test_six_iku_with_their_sections_units_and_measures():
    assert [r["number"] for r in seed.IKU] == [1, 2, 3, 4, 5, 6]
    assert [r["sections"] for r in seed.IKU] == [
        ["camat"], ["pemerintahan", "pelayanan", "pmks", "trantib"], ["pmks"], ["trantib"],
        ["camat"], ["sekcam"]]
    # IKU 4 is a percentage and IKU 5 the SAKIP score (the brief listed "nilai" one place early)
    assert [r["unit"] for r in seed.IKU] == ["dokumen", "indeks", "%", "%", "nilai", "%"]
    assert [r["measure"] for r in seed.IKU] == [
        "document_count", "survey_index", "ratio", "ratio", "score", "ratio"]
    assert {r["polarity"] for r in seed.IKU} == {"higher"}
    assert seed.IKU[1]["bidang_text"].splitlines() == [
        "Seksi Pemerintahan", "Seksi Pelayanan Umum", "Seksi PMKS", "Seksi Trantib"]


def test_ocr_noise_is_gone():
    fractions = [b for b in seed.IKU[3]["formulation"] if b["type"] == "fraction"]
    assert len(fractions) == 1
    assert fractions[0]["numerator"].endswith("ketentraman masyarakat yang diselesaikan")
    assert fractions[0]["denominator"].endswith("ketentraman masyarakat yang masuk")
    text = repr(seed.IKU)
    assert "SP4N-LAPOR!" in text and "SPAN" not in text
    unsur = seed.IKU[1]["formulation"][1]["items"][3]["children"][0]["items"]
    assert len(unsur) == 9
    assert len(seed.TUGAS) == 10 and len(set(seed.TUGAS)) == 10
    assert seed.INDIKATOR_TUJUAN == ["Hasil Survei Kepuasan Masyarakat (SKM)"]


def test_year_placeholder_filled_without_touching_the_constant():
    rows = seed.iku_rows(2026)
    assert "tahun 2026" in rows[5]["formulation"][1]["text"]
    assert "{year}" in seed.IKU[5]["formulation"][1]["text"]
    assert "{year}" not in repr(rows)


def test_texts_name_the_office_and_end_properly():
    mengingat = seed.default_mengingat()
    assert len(mengingat) == 9
    assert all(m.endswith(";") for m in mengingat[:-1]) and mengingat[-1].endswith(".")
    menimbang = seed.default_menimbang("Puger", "Jember")
    assert len(menimbang) == 1 and menimbang[0].startswith("bahwa") and "Camat Puger;" in \
        menimbang[0]
    diktum = seed.default_diktum("Puger", "Jember")
    assert len(diktum) == 6
    assert [d["item_style"] for d in diktum] == [None, None, "paren_number", "letter", None,
                                                 None]
    assert len(diktum[2]["items"]) == 2 and len(diktum[3]["items"]) == 5
    assert "Gumukmas" not in repr(diktum)


def test_sections():
    assert [s[0] for s in seed.SECTIONS] == [
        "sekretariat", "pemerintahan", "pelayanan", "pmks", "trantib"]
    assert seed.SECTIONS[3][2] == "Seksi PMKS"
