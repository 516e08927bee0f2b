"""Bab III's own numbers (lkjip.compute), checked against figures worked out by hand."""
from __future__ import annotations

from decimal import Decimal as D

from iku_workflow.domain.capaian import LowerFormula, Polarity
from iku_workflow.domain import lkjip as c


def ind(number, sasaran="Sasaran A", target="90", realisation="81", capaian="90.00", **kw):
    return c.IndicatorYear(number=number, sasaran=sasaran, name=f"Indikator {number}", unit="%",
                           target=None if target is None else D(target),
                           realisation=None if realisation is None else D(realisation),
                           capaian=None if capaian is None else D(capaian), **kw)


def test_previous_years_prefer_the_apps_figure_then_the_entered_one_then_no_data():
    current = [ind(1), ind(2), ind(3)]
    app_past = {2024: {1: ind(1, realisation="70", capaian="77.78"), 2: ind(2, realisation=None, capaian=None)}}
    entered = {(2, 2024): c.EnteredFigure(D("65"), None, "LKjIP 2024 hal. 12"),
               (1, 2024): c.EnteredFigure(D("1"), D("1"), "ignored: the app has 2024"),
               (1, 2023): c.EnteredFigure(D("60"), D("75"), "LKjIP 2023")}
    result = c.bab3(2025, current, app_past, entered, [], [])
    one, two, three = result.lines
    assert [(p.year, p.realisation, p.capaian, p.source) for p in one.previous] == [
        (2023, D("60"), D("75"), "LKjIP 2023"), (2024, D("70"), D("77.78"), c.APP_SOURCE)]
    # the app ran 2024 but has no realisation of IKU 2: the entered figure stands in
    assert (two.previous[1].realisation, two.previous[1].source) == (D("65"), "LKjIP 2024 hal. 12")
    assert not two.previous[0].has_data and two.previous[0].source == ""
    assert not any(p.has_data for p in three.previous)


def test_renstra_progress_uses_the_indicators_own_formula():
    periods = [c.Renstra(2020, 2024, {1: D("50")}), c.Renstra(2025, 2029, {1: D("95"), 2: D("3")})]
    current = [ind(1, realisation="81"),
               ind(2, target="3", realisation="2.4", capaian="120.00", polarity=Polarity.LOWER,
                   lower_formula=LowerFormula.TWICE_TARGET),
               ind(3)]
    result = c.bab3(2025, current, {}, {}, periods, [])
    assert result.renstra.label == "2025–2029"
    one, two, three = result.lines
    assert (one.renstra_target, one.progress) == (D("95"), D("85.26"))  # 81 / 95 * 100 = 85.263…
    assert (two.renstra_target, two.progress) == (D("3"), D("120.00"))  # (6 - 2.4) / 3 * 100
    assert (three.renstra_target, three.progress) == (None, None)
    assert c.bab3(2031, current, {}, {}, periods, []).renstra is None


def test_serapan_and_efficiency_of_each_program_and_the_total():
    # capaian 90.00, 120.00 and none: the mean of the two present is 105.00
    current = [ind(1, capaian="90.00"), ind(2, capaian="120.00"), ind(3, capaian=None)]
    programs = [c.ProgramInput("7.01.01", "Program Penunjang", D("150000000"), D("142500000")),
                c.ProgramInput("7.01.02", "Program Pemerintahan", D("30000000"), D("21000000")),
                c.ProgramInput("7.01.03", "Program Baru", D("0"), None)]
    result = c.bab3(2025, current, {}, {}, [], programs)
    assert result.average_capaian == D("105.00")
    first, second, third = result.programs
    assert first.serapan == D("95.00") and first.efisiensi == D("1.11")  # 105 / 95 = 1.105… -> 1.11
    assert first.efisien is True
    assert second.serapan == D("70.00") and second.efisiensi == D("1.50")
    assert third.serapan is None and third.efisiensi is None and third.efisien is None
    # the total has no realisation while one program has none
    assert result.total.pagu == D("180000000") and result.total.realisasi is None and result.total.serapan is None
    both = c.bab3(2025, current, {}, {}, [], programs[:2])
    assert both.total.realisasi == D("163500000")
    assert both.total.serapan == D("90.83")  # 163.5 / 180 * 100 = 90.8333…
    assert both.total.efisiensi == D("1.16")  # 105 / 90.83 = 1.1560…


def test_an_overspent_program_is_less_efficient_than_one():
    result = c.bab3(2025, [ind(1, capaian="80.00")], {}, {}, [],
                    [c.ProgramInput("", "P", D("100"), D("100"))])
    assert result.programs[0].efisiensi == D("0.80") and result.programs[0].efisien is False


def test_no_capaian_no_efficiency_and_no_division_by_zero():
    result = c.bab3(2025, [ind(1, capaian=None)], {}, {}, [], [c.ProgramInput("", "P", D("100"), D("0"))])
    assert result.average_capaian is None
    assert result.programs[0].serapan == D("0.00") and result.programs[0].efisiensi is None


def test_indicators_are_grouped_by_sasaran_in_order():
    current = [ind(1, sasaran="Meningkatnya A"), ind(2, sasaran="Meningkatnya B"), ind(3, sasaran="Meningkatnya A ")]
    groups = c.bab3(2025, current, {}, {}, [], []).groups
    assert [(g.number, g.sasaran.strip(), [line.current.number for line in g.lines]) for g in groups] == [
        (1, "Meningkatnya A", [1, 3]), (2, "Meningkatnya B", [2])]
