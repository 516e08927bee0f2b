"""The shapes of the API's answers (marshmallow); the OpenAPI document is generated from them.

Numbers are JSON numbers rounded as the pages show them (IKU: 2 decimals; IKM: 4, its conversion: 2),
``null`` for "no data". Codes (states, groups, polarity) are the stored values, not translated labels.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f

from ..models import DocumentGroup, EntryState, PeriodStatus


class OfficeSchema(ma.Schema):
    code = f.String(required=True, metadata={"example": "gumukmas"})
    name = f.String(required=True, metadata={"example": "Gumukmas"})
    full_name = f.String(required=True, metadata={"example": "Kecamatan Gumukmas"})
    kabupaten = f.String(required=True, metadata={"example": "Jember"})


class YearsSchema(ma.Schema):
    office = f.String(required=True, metadata={"description": "office code"})
    years = f.List(f.Integer(), required=True, metadata={"description": "years that have IKU, newest first"})


class RealisationSchema(ma.Schema):
    """Per triwulan on its own (tw1..tw4), the year, and cumulative "s.d. TW" (sd_tw1..sd_tw4)."""

    tw1 = f.Float(required=True, allow_none=True)
    tw2 = f.Float(required=True, allow_none=True)
    tw3 = f.Float(required=True, allow_none=True)
    tw4 = f.Float(required=True, allow_none=True)
    year = f.Float(required=True, allow_none=True)
    sd_tw1 = f.Float(required=True, allow_none=True)
    sd_tw2 = f.Float(required=True, allow_none=True)
    sd_tw3 = f.Float(required=True, allow_none=True)
    sd_tw4 = f.Float(required=True, allow_none=True)


class IkuSummarySchema(ma.Schema):
    """One IKU of the year: the shape of ``iku-workflow iku report --json`` (``IkuSummary.as_json``)."""

    number = f.Integer(required=True)
    name = f.String(required=True)
    unit = f.String(required=True)
    polarity = f.String(required=True, metadata={"enum": ["higher", "lower"]})
    target = f.Float(required=True, allow_none=True)
    realisation = f.Nested(RealisationSchema, required=True)
    capaian = f.Float(required=True, allow_none=True)
    criteria = f.String(required=True, allow_none=True, metadata={"example": "Sangat Tinggi"})


class SectionSchema(ma.Schema):
    code = f.String(required=True)
    name = f.String(required=True)


class DocumentSchema(ma.Schema):
    """A document the year requires: its type, group, responsible section, due date and review state."""

    id = f.Integer(required=True)
    type_code = f.String(required=True)
    type_name = f.String(required=True)
    group = f.String(required=True, metadata={"enum": [g.value for g in DocumentGroup]})
    section = f.Nested(SectionSchema, required=True, allow_none=True)
    due_date = f.Date(required=True, allow_none=True)
    state = f.String(required=True, metadata={"enum": [s.value for s in EntryState]})
    late = f.Boolean(required=True, metadata={"description": "past its due date and not approved"})
    files_count = f.Integer(required=True, metadata={"description": "uploaded file versions"})


class IkmSchema(ma.Schema):
    """The index of a survey (or of one service type)."""

    respondents = f.Integer(required=True)
    ikm = f.Float(required=True, metadata={"description": "IKM, 1-4 scale, 4 decimals"})
    konversi = f.Float(required=True, metadata={"description": "IKM x 25 (0-100), 2 decimals: what is reported"})
    mutu = f.String(required=True, metadata={"example": "B"})
    kinerja = f.String(required=True, metadata={"example": "Baik"})


class SkmPeriodSchema(ma.Schema):
    id = f.Integer(required=True)
    year = f.Integer(required=True)
    label = f.String(required=True, metadata={"example": "S1"})
    title = f.String(required=True, metadata={"example": "Semester I 2025"})
    status = f.String(required=True, metadata={"enum": [s.value for s in PeriodStatus]})
    state = f.String(required=True, metadata={"enum": [s.value for s in EntryState],
                                              "description": "review state of the period's result"})
    population = f.Integer(required=True, allow_none=True)
    closed_at = f.DateTime(required=True, allow_none=True)
    result = f.Nested(IkmSchema, required=True, allow_none=True,
                      metadata={"description": "null while nobody has answered"})


class UnsurSchema(ma.Schema):
    key = f.String(required=True)
    name = f.String(required=True)
    nrr = f.Float(required=True, allow_none=True)


class ServiceResultSchema(ma.Schema):
    name = f.String(required=True)
    result = f.Nested(IkmSchema, required=True, allow_none=True)


class SkmPeriodDetailSchema(SkmPeriodSchema):
    weighting = f.String(required=True)
    minimum_sample = f.Integer(required=True, allow_none=True,
                               metadata={"description": "minimum respondents for the population (Krejcie-Morgan)"})
    unsur = f.List(f.Nested(UnsurSchema), required=True)
    priorities = f.List(f.String(), required=True, metadata={"description": "the three weakest unsur, weakest first"})
    services = f.List(f.Nested(ServiceResultSchema), required=True)


class KabupatenSchema(ma.Schema):
    code = f.String(required=True, metadata={"example": "jember"})
    name = f.String(required=True, metadata={"example": "Jember"})
    full_name = f.String(required=True, metadata={"example": "Kabupaten Jember"})
    offices = f.Integer(required=True, metadata={"description": "offices the token's user may read"})


class MatrixQuerySchema(ma.Schema):
    year = f.Integer(validate=ma.validate.Range(2000, 2100), metadata={"description": "default: this year"})
    period = f.Integer(validate=ma.validate.Range(1, 4), allow_none=True,
                       metadata={"description": "s.d. TW 1-4; absent: the year"})


class MatrixIkuSchema(ma.Schema):
    number = f.Integer(required=True)
    name = f.String(required=True)
    target = f.Float(required=True, allow_none=True)
    realisation = f.Float(required=True, allow_none=True)
    capaian = f.Float(required=True, allow_none=True)
    criteria = f.String(required=True, allow_none=True)


class MatrixDocumentSchema(ma.Schema):
    code = f.String(required=True)
    name = f.String(required=True)
    state = f.String(required=True, metadata={"enum": [s.value for s in EntryState]})
    late = f.Boolean(required=True)
    files = f.Integer(required=True)
    due_date = f.Date(required=True, allow_none=True)


class MatrixOfficeSchema(ma.Schema):
    code = f.String(required=True)
    name = f.String(required=True)
    rank = f.Integer(required=True, allow_none=True)
    score = f.Float(required=True, allow_none=True, metadata={"description": "mean capaian, each at most 100"})
    completion = f.Float(required=True, allow_none=True)
    iku = f.List(f.Nested(MatrixIkuSchema), required=True)
    documents = f.List(f.Nested(MatrixDocumentSchema), required=True)


class MatrixSchema(ma.Schema):
    kabupaten = f.String(required=True)
    year = f.Integer(required=True)
    period = f.Integer(required=True, allow_none=True)
    ranking_rule = f.String(required=True)
    offices = f.List(f.Nested(MatrixOfficeSchema), required=True)
