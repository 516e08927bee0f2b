"""Pure domain rules (no Flask, no SQLAlchemy): plain functions over plain values.

Modules: ``numbers`` (exact half-up rounding, Indonesian number format), ``nip``, ``dates``
(reading Indonesian dates, periods), ``capaian`` (achievement, criteria, triwulan to year),
``sakip`` (predikat), ``skm`` (IKM of the Survei Kepuasan Masyarakat), ``skm_response`` (the questionnaire
and the one declaration and check of each field of a response). The rules themselves are
in ``RULES.md``; each formula cites its regulation where it is implemented.
"""
