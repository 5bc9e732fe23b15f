"""Layout families: each draws a `Doc` its own way and returns PDF bytes.

The split matters: rules were written while looking at RULE_FAMILIES only; HELD_OUT families
measure (and calibrate) what the engine does on layouts nobody tuned it for.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from devset.model import Doc

Render = Callable[[Doc, random.Random], bytes]

RULE_FAMILIES = ("item_table", "utility_bill", "erp_print")
HELD_OUT_FAMILIES = ("prose_letter", "boxed_form", "payment_slip", "multipage")
FAMILIES = RULE_FAMILIES + HELD_OUT_FAMILIES


def renderer(family: str) -> Render:
    from devset.families import (
        boxed_form,
        erp_print,
        item_table,
        multipage,
        payment_slip,
        prose_letter,
        utility_bill,
    )

    modules = {
        "item_table": item_table,
        "utility_bill": utility_bill,
        "prose_letter": prose_letter,
        "boxed_form": boxed_form,
        "erp_print": erp_print,
        "payment_slip": payment_slip,
        "multipage": multipage,
    }
    return modules[family].render


def split_of(family: str) -> str:
    return "held_out" if family in HELD_OUT_FAMILIES else "rules"


def pair(label: str, value: str, glued: bool) -> str:
    """A label and its value on one line; glued labels have no space before the value."""
    return f"{label}{value}" if glued else f"{label} {value}"
