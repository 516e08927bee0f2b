"""The registers behind IKU 3-6: activities, complaints, SAKIP score, program indicators."""
from flask import Blueprint

bp = Blueprint("registers", __name__)

from . import views  # noqa: E402,F401  (routes)
from . import change_views  # noqa: E402,F401  (routes: changes of approved rows)
from . import changes, spec  # noqa: E402
from . import desa  # noqa: E402
from .cli import desa_group  # noqa: E402
from dataclasses import replace as _replace  # noqa: E402

# Each register's workflow kind, menu entry and measure come from its record in spec.py; the changes of
# approved rows have a kind per register too (changes.py).
CAPABILITY = spec.capability("registers", spec.ALL, blueprints=(bp,), seeders=(desa.seed_demo_desa,),
                              cli_groups=(desa_group,))
CAPABILITY = _replace(CAPABILITY, workflow_kinds=CAPABILITY.workflow_kinds + changes.kinds(spec.ALL))
