"""Whether a period's respondents reach the minimum sample (Krejcie & Morgan, RULES.md §1).

One message for every page that shows an SKM result: the period's results page and the dashboard's
IKU 2, so a result below its minimum sample never looks trustworthy in one place and not in another.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..domain import skm
from ..formatting import format_decimal
from ..number_input import page_locale


def sample_warning(population: int | None, respondents: int) -> str | None:
    """The warning when ``respondents`` is below the minimum sample for ``population``; else None."""
    minimum = skm.min_sample(population)
    if minimum is None or respondents >= minimum:
        return None
    return _("Jumlah responden (%(n)d) di bawah sampel minimal %(m)d untuk populasi %(p)s orang (Krejcie & Morgan). "
             "Hasil belum mewakili.", n=respondents, m=minimum, p=format_decimal(population, page_locale(), places=0))
