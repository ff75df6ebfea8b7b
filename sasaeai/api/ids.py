"""HSDS identifiers: a UUID per record that names its municipality, its table and its key.

HSDS wants every id to be a UUID. Ours are made, not stored (RFC 9562 version 8, "custom"):
the upper 64 bits are a hash of the municipality's code and the table, the lower 62 the
record's primary key. So an id is the same on every export, a service id is read back to its
activity without a lookup table, and an id of another municipality or table is simply not
found.
"""

from __future__ import annotations

import functools
import hashlib
import uuid

KEY_BITS = 62
KEY_MASK = (1 << KEY_BITS) - 1
VARIANT = 0b10 << KEY_BITS  # RFC 9562 variant in the lower half


@functools.cache  # a handful of municipalities x tables; asked for every id written
def _upper(municipality_code: str, table: str) -> int:
    digest = hashlib.sha256(f"sasaeai/{municipality_code}/{table}".encode()).digest()
    upper = int.from_bytes(digest[:8])
    return (upper & ~(0xF << 12)) | (0x8 << 12)  # version 8


@functools.cache
def _head(municipality_code: str, table: str) -> str:
    """The id's first three groups (its upper half), as uuid.UUID writes them."""
    upper = f"{_upper(municipality_code, table):016x}"
    return f"{upper[:8]}-{upper[8:12]}-{upper[12:]}-"


def make(municipality_code: str, table: str, pk: int) -> str:
    """The id, written as str(uuid.UUID(...)) writes it, without making one (a data package
    writes millions of ids: a third of its time went to uuid.UUID)."""
    lower = f"{VARIANT | pk:016x}"
    return f"{_head(municipality_code, table)}{lower[:4]}-{lower[4:]}"


def key(municipality_code: str, table: str, value: str) -> int | None:
    """The primary key an id of `table` in the municipality holds; None for anything else
    (not a UUID, another municipality's or another table's)."""
    try:
        number = uuid.UUID(value).int
    except ValueError:
        return None
    lower = number & ((1 << 64) - 1)
    if number >> 64 != _upper(municipality_code, table) or lower >> KEY_BITS != 0b10:
        return None
    return number & KEY_MASK
