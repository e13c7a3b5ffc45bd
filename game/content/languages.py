"""Which language codes a crisis may give its translations under.

A translation is a mapping from a code to text (``{en: ..., km: ...}``). The codes
are BCP 47 tags; their first part is an ISO 639 language. Two-letter codes are
checked against ISO 639-1, which is short and stable, so a typo such as ``kh``
for ``km`` (Khmer) is caught. Three-letter codes (ISO 639-2/3, thousands of them)
are taken as written.
"""

from __future__ import annotations

from collections.abc import Iterable

from game.engine.expr import did_you_mean

ISO_639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv
    ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl
    km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt
    my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
    rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn
    to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    """.split()  # noqa: SIM905 - the table reads as the standard prints it
)


def is_known(code: str) -> bool:
    """Whether a (well-formed) code names a language."""
    language = code.split("-", 1)[0]
    return len(language) != 2 or language in ISO_639_1


def suggestion(code: str, likely: Iterable[str]) -> str:
    """A hint for an unknown code: a likely code one letter away, else the closest one.

    ``likely`` are the codes this crisis uses elsewhere and those the game offers,
    in that order: two-letter codes are all close to each other, so these come first.
    """
    language, _, region = code.partition("-")
    for candidate in likely:
        if len(candidate) == len(language) and _one_letter_apart(language, candidate):
            return f"did you mean '{candidate + ('-' + region if region else '')}'?"
    return did_you_mean(language, ISO_639_1) or "use an ISO 639 code, such as en, fr or km"


def _one_letter_apart(a: str, b: str) -> bool:
    different = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(different) == 1:
        return True
    # two letters swapped
    return (
        len(different) == 2
        and a[different[0]] == b[different[1]]
        and a[different[1]] == b[different[0]]
    )
