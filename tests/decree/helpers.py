"""Small helpers of the decree tests: a tiny valid PDF, reading a .docx back."""
from __future__ import annotations

import io

import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def tiny_pdf(text: str = "Keputusan ditandatangani") -> bytes:
    """A one-page PDF with correct xref offsets (a real, if minimal, signed scan stand-in)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_texts(document) -> list[str]:
    """Every paragraph of the body in document order, tables included (cell by cell)."""
    return ["".join("\t" if t.tag == W + "tab" else (t.text or "")
                    for r in p.iter(W + "r") for t in r.iter(W + "t", W + "tab"))
            for p in document.element.body.iter(W + "p")]


def header_text(header) -> str:
    return " ".join(t.text or "" for t in header._element.iter(W + "t"))


def index_of(texts: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(texts)):
        if needle in texts[i]:
            return i
    raise AssertionError(f"{needle!r} not found after position {start}")
