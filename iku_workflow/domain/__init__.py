"""Pure domain rules (no Flask, no SQLAlchemy): plain functions over plain values.

Modules: ``numbers`` (exact half-up rounding, Indonesian number format), ``nip``, ``dates``
(Indonesian dates, periods, diktum words), ``capaian`` (achievement, criteria, triwulan to year),
``sakip`` (predikat), ``skm`` (IKM of the Survei Kepuasan Masyarakat). The rules themselves are
in ``RULES.md``; each formula cites its regulation where it is implemented.
"""
