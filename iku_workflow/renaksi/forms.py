"""Forms of the renaksi pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..formatting import triwulan_short
from ..forms_base import IkuForm, NumberField

NOT_NEGATIVE = NumberRange(min=0, message=_l("Target tidak boleh negatif."))


class TargetsForm(IkuForm):
    """The four triwulan targets of one indicator in the renaksi."""

    tw1 = NumberField(_l("Target %(tw)s", tw=triwulan_short(1)), places=4, validators=[Optional(), NOT_NEGATIVE])
    tw2 = NumberField(_l("Target %(tw)s", tw=triwulan_short(2)), places=4, validators=[Optional(), NOT_NEGATIVE])
    tw3 = NumberField(_l("Target %(tw)s", tw=triwulan_short(3)), places=4, validators=[Optional(), NOT_NEGATIVE])
    tw4 = NumberField(_l("Target %(tw)s", tw=triwulan_short(4)), places=4, validators=[Optional(), NOT_NEGATIVE])


class ActionForm(IkuForm):
    """A new action (kegiatan) of an indicator: the section responsible and its budget."""

    name = TextAreaField(_l("Kegiatan / sub kegiatan"), validators=[DataRequired(message=_l("Isi nama kegiatan.")),
                                                                     Length(max=2000)])
    section = SelectField(_l("Penanggung jawab"), choices=[], default="", validate_choice=True)
    budget = NumberField(_l("Anggaran (Rp)"), places=2, money=True,
                         validators=[Optional(), NumberRange(min=0, message=_l("Anggaran tidak boleh negatif."))])


class NoteForm(IkuForm):
    """The monitoring notes of one indicator for one triwulan."""

    kendala = TextAreaField(_l("Kendala"), validators=[Optional(), Length(max=4000)])
    tindak_lanjut = TextAreaField(_l("Tindak lanjut"), validators=[Optional(), Length(max=4000)])
