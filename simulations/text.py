"""Strings made of parts (ids, titles), built for a whole column at once as UTF-8 bytes in NumPy.

A column is a row of parts: literals, numbers (zero-padded to a width, or not padded) and strings picked from a
pool by index. Every part is a character matrix with a mask of the
characters it contributes to each row; the columns of all parts side by side, read row by row through the mask, are
the Arrow string column's data. Polars' ``concat_str`` over casts and ``zfill`` cost about a microsecond per row;
this is a few dozen nanoseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class _Part:
    chars: np.ndarray  # (rows or 1, width) uint8
    mask: np.ndarray  # (rows or 1, width) bool
    full: bool = False  # every row uses every character (fixed width): no mask to apply


def _take_rows(matrix: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``matrix[index]`` for a (k, w) matrix of bytes or flags: rows of at most 8 bytes are gathered as one uint64
    each (a row-wise fancy index moves them byte by byte, several times as slow)."""
    k, w = matrix.shape
    if w > 8 or matrix.itemsize != 1:
        return matrix[index]
    wide = np.zeros((k, 8), dtype=np.uint8)
    wide[:, :w] = matrix.view(np.uint8)
    rows = wide.view(np.uint64).ravel()[index]
    return rows.view(np.uint8).reshape(len(index), 8)[:, :w].view(matrix.dtype)


def lit(text: str) -> _Part:
    """The same text in every row."""
    data = np.frombuffer(text.encode(), dtype=np.uint8)[None, :]
    return _Part(data, np.ones(data.shape, dtype=bool), full=True)


def num(values: np.ndarray, width: int = 1) -> _Part:
    """Non-negative integers in decimal, zero-padded to ``width`` (like ``str.zfill``; wider numbers in full)."""
    v = np.asarray(values, dtype=np.int64)
    top = int(v.max()) if len(v) else 0
    w = max(width, len(str(top)))
    # Numbers repeat (years, sequence numbers): format 0..top once and pick rows, when that is the smaller job.
    every = top < len(v)
    source = np.arange(top + 1, dtype=np.int64) if every else v
    digits = (source[:, None] // 10 ** np.arange(w - 1, -1, -1, dtype=np.int64)) % 10
    nonzero = digits != 0
    first = np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), w - 1)  # first significant digit (0 shows "0")
    mask = np.arange(w)[None, :] >= np.minimum(first, w - width)[:, None]
    chars = (digits + 48).astype(np.uint8)
    full = bool(mask.all())  # checked before picking rows: the formatted 0..top are the smaller matrix
    if full:  # every row uses every character: one mask row, broadcast (it is not read)
        mask = np.ones((1, w), dtype=bool)
    if every:
        chars = _take_rows(chars, v)
        if not full:
            mask = _take_rows(mask, v)
    return _Part(chars, mask, full)


def pick(pool: list[str] | tuple[str, ...], index: np.ndarray) -> _Part:
    """``pool[index]`` in every row."""
    encoded = [s.encode() for s in pool]
    lengths = np.array([len(b) for b in encoded], dtype=np.int64)
    w = int(lengths.max()) if len(encoded) else 0
    table = np.zeros((len(encoded), w), dtype=np.uint8)
    for i, b in enumerate(encoded):  # per pool entry, not per row
        table[i, : len(b)] = np.frombuffer(b, dtype=np.uint8)
    idx = np.asarray(index, dtype=np.int64)
    if len(lengths) and bool((lengths == w).all()):  # one width (organisation ids): no mask needed
        return _Part(_take_rows(table, idx), np.ones((1, w), dtype=bool), full=True)
    mask = np.arange(w)[None, :] < lengths[idx][:, None]
    return _Part(_take_rows(table, idx), mask)


def compose(rows: int, *parts: _Part) -> pa.StringArray:
    """The strings of ``rows`` rows: each row's parts, in order."""
    chars = np.concatenate([np.broadcast_to(p.chars, (rows, p.chars.shape[1])) for p in parts], axis=1)
    if all(p.full for p in parts):  # fixed width (most ids): the character matrix is the data as it is
        offsets = np.arange(rows + 1, dtype=np.int32) * np.int32(chars.shape[1])
        return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(chars)))
    mask = np.concatenate([np.broadcast_to(p.mask, (rows, p.mask.shape[1])) for p in parts], axis=1)
    offsets = np.zeros(rows + 1, dtype=np.int32)
    np.cumsum(mask.sum(axis=1), out=offsets[1:])
    data = np.ascontiguousarray(chars[mask])
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data))
