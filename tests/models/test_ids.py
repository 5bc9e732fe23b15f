"""Object ids: the prefix, 24 base62 characters, every character reachable at every position."""

from __future__ import annotations

import re

from models.ids import new_id


def test_ids_are_prefixed_base62_of_the_asked_length() -> None:
    ids = {new_id("ainv") for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(r"ainv_[A-Za-z0-9]{24}", i) for i in ids)
    assert re.fullmatch(r"t_[A-Za-z0-9]{10}", new_id("t", 10))


def test_every_character_appears_at_the_first_and_last_position() -> None:
    ids = [new_id("x")[2:] for _ in range(3000)]
    # 62 symbols, 3,000 draws: a position missing one is a broken encoding, not bad luck
    # (the chance is about 62 * (61/62)^3000, below 1e-19).
    assert len({i[0] for i in ids}) == 62 and len({i[-1] for i in ids}) == 62
