"""Where a JSON value ends: the byte loop behind :func:`assay.ingest._formats.json_array_items`.

Compiled (``_scan.pxd`` gives the loop C types), it runs at about a byte a nanosecond. As
plain Python a loop over bytes is slow, so the reader then uses regular expressions that
find the same ends (``_formats._item_end_regex``; a test holds the two equal).
"""

from __future__ import annotations


def value_end(buf: bytes, p: int) -> int:
    """The index just past the JSON value that starts at ``buf[p]`` (not whitespace), or
    -1 if ``buf`` may end before it does.

    A string ends at its closing quote (a backslash escapes the next byte); an object or
    array where the brackets opened at ``p`` are all closed again, outside strings; any
    other value (a number, ``true``, a stray word) at the next ``,``, ``]``, ``}`` or whitespace.
    A byte that cannot start a value (a ``,``, say) is a value of its own, one byte long.
    """
    n = len(buf)
    c = buf[p]
    i = p + 1
    if c == 34:  # "
        while i < n:
            c = buf[i]
            if c == 92:  # \
                i += 2
            elif c == 34:
                return i + 1
            else:
                i += 1
        return -1
    if c != 91 and c != 123:  # not [ or {
        if c == 44 or c == 93 or c == 125 or c == 32 or 9 <= c <= 13:  # , ] } or whitespace
            return i
        while i < n:
            c = buf[i]
            if c == 44 or c == 93 or c == 125 or c == 32 or 9 <= c <= 13:
                return i
            i += 1
        return -1
    depth = 1
    while i < n:
        c = buf[i]
        if c == 34:
            i += 1
            while i < n:
                c = buf[i]
                if c == 92:
                    i += 2
                elif c == 34:
                    break
                else:
                    i += 1
            else:
                return -1
        elif c == 91 or c == 123:
            depth += 1
        elif c == 93 or c == 125:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1
