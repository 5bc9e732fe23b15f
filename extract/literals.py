"""A regex that finds any of a set of literal strings, written as a trie of their characters.

Python's regex engine tries an alternation's branches one after the other at every position of
the text: a flat list of 369 label needles costs hundreds of steps per character. The same set
written as a trie ("rechnung(?:s|snummer)?" instead of three branches) is decided in a step or
two per character. The language is the same, so `search` finds a match exactly where the flat
alternation does (the branch matched at a position may be another of the same set's strings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Node = dict[str, "_Node"]
_END = ""  # a key no character can be: the strings that end at this node


def alternation(words: Iterable[str]) -> str:
    """A regex (no group captures) matching exactly the given non-empty strings."""
    root: _Node = {}
    for word in words:
        if not word:
            raise ValueError("an empty string would match everywhere")
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not root:
        raise ValueError("no strings: the regex would match nothing")
    return _pattern(root)


def _pattern(node: _Node) -> str:
    branches = [re.escape(ch) + _pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    ends_here = _END in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group
