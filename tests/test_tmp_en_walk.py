import re, os, html as htmllib
import sqlalchemy as sa
from conftest import get_user
from iku_workflow.extensions import db

OUT = "/tmp/edges/en"

def _text(page):
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    # attribute texts the user sees: title, placeholder, aria-label, data-confirm, alt
    attrs = re.findall(r'(?:title|placeholder|aria-label|data-confirm|alt|data-warn-unsaved|data-[a-z-]*label|data-[a-z-]*message)="([^"]+)"', page)
    body = re.sub(r"<[^>]+>", "\n", page)
    lines = [htmllib.unescape(l).strip() for l in body.split("\n")] + ["@" + htmllib.unescape(a) for a in attrs]
    return [l for l in lines if l]

def test_walk(client_as, office):
    os.makedirs(OUT, exist_ok=True)
    from iku_workflow.models import User, WorkflowEntry, SurveyPeriod
    for u in db.session.scalars(sa.select(User)):
        u.locale = "en"
    db.session.commit()
    period = db.session.scalars(sa.select(SurveyPeriod)).first()
    entry = db.session.scalars(sa.select(WorkflowEntry)).first()
    pages = {
      "sekcam": ["/dasbor/2025", "/dasbor", "/dokumen/2025", "/skm/", f"/skm/periode/{period.id}", "/keputusan", "/keputusan/2025",
                 "/keputusan/2025/pratinjau", "/tinjauan", "/iku/2025", "/audit", f"/entri/{entry.id}", "/register/kegiatan/2025",
                 "/register/pengaduan/2025", "/register/sakip/2025", "/register/program/2025", "/akun", "/tugas"],
      "camat": ["/dasbor/2025"],
      "admin": ["/admin/pengguna", "/admin/kop", "/admin/kantor", "/admin/seksi", "/admin/desa", "/admin/pengguna/baru"],
      "pemerintahan": ["/tugas", "/dasbor/2025"],
      "kabupaten": ["/kecamatan"],
    }
    for who, urls in pages.items():
        c = client_as(who)
        for url in urls:
            r = c.get(url, follow_redirects=True)
            name = (who + url).replace("/", "_")
            with open(f"{OUT}/{name}.txt", "w") as fh:
                fh.write(f"# {r.status_code}\n" + "\n".join(_text(r.get_data(as_text=True))))
