"""Read the forms of a rendered page the way a browser submits them ("submitted unchanged").

`forms(html)` lists every <form> with the values a browser would send when its first submit button is
clicked: text inputs and textareas as shown, checked boxes and radios, the selected option of each select
(the first when none is selected), no disabled control and no file. `numeric_inputs(html)` lists the inputs
a person types a number into (``data-number``, ``inputmode=numeric|decimal`` or ``type=number``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

NUMERIC_INPUTMODES = {"numeric", "decimal"}


@dataclass
class Form:
    action: str
    method: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    inputs: dict[str, dict] = field(default_factory=dict)  # name -> attributes of the (first) input of that name
    submit: tuple[str, str] | None = None

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.pairs}

    def value(self, name: str) -> str:
        return next(v for n, v in self.pairs if n == name)

    def data(self, **changes) -> dict:
        """What the browser sends (a MultiDict-like dict of lists), with ``changes`` typed over it."""
        out: dict[str, list[str]] = {}
        for name, value in self.pairs + ([self.submit] if self.submit else []):
            out.setdefault(name, []).append(value)
        for name, value in changes.items():
            out[name] = [value]
        return out


def is_numeric_input(attrs: dict) -> bool:
    return ("data-number" in attrs or attrs.get("inputmode") in NUMERIC_INPUTMODES
            or attrs.get("type") in ("number", "range"))


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.orphans: list[dict] = []  # numeric inputs outside any form
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            self.current = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self.current)
            return
        if tag == "input":
            self._input(a)
        elif tag == "button" and self.current is not None:
            if a.get("type", "submit") == "submit" and "disabled" not in a and self.current.submit is None and a.get("name"):
                self.current.submit = (a["name"], a.get("value", ""))
        elif tag == "select":
            self.select = {"attrs": a, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea":
            self.textarea = {"attrs": a, "text": ""}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _input(self, a):
        kind = a.get("type", "text").lower()
        if self.current is None:
            if is_numeric_input(a):
                self.orphans.append(a)
            return
        name = a.get("name")
        if not name:
            return
        self.current.inputs.setdefault(name, a)
        if "disabled" in a or kind in ("file", "reset", "button", "image"):
            return
        if kind == "submit":
            if self.current.submit is None:
                self.current.submit = (name, a.get("value", ""))
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self.current.pairs.append((name, a.get("value", "on")))
            return
        self.current.pairs.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None and self.select is not None:
            option = self.option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.select["options"].append(value)
            if option["selected"]:
                self.select["selected"].append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            select, self.select = self.select, None
            name = select["attrs"].get("name")
            if self.current is None or not name or "disabled" in select["attrs"]:
                return
            chosen = select["selected"] or ([] if "multiple" in select["attrs"] else select["options"][:1])
            self.current.pairs.extend((name, v) for v in chosen)
        elif tag == "textarea" and self.textarea is not None:
            area, self.textarea = self.textarea, None
            name = area["attrs"].get("name")
            if self.current is not None and name and "disabled" not in area["attrs"]:
                text = area["text"]
                # a browser drops the newline right after <textarea>
                text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
                self.current.pairs.append((name, text))
        elif tag == "form":
            self.current = None


def _parse(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser


def forms(html: str) -> list[Form]:
    return _parse(html).forms


def form_with(html: str, name: str) -> Form:
    """The form of the page that has an input (or select/textarea) called ``name``."""
    found = [f for f in forms(html) if name in f.names or name in f.inputs]
    assert found, f"no form with a field {name!r} on the page"
    return found[0]


def numeric_inputs(html: str) -> list[tuple[Form | None, str, dict]]:
    """(form, name, attributes) of every input on the page a person types a number into."""
    parser = _parse(html)
    out = [(f, name, attrs) for f in parser.forms for name, attrs in f.inputs.items() if is_numeric_input(attrs)]
    out += [(None, a.get("name", ""), a) for a in parser.orphans]
    return out
