"""Search by content without plaintext at rest: a keyed blind index of normalised words.

"Did we ever send *A1C* to vendor Y?" should not need every record decrypted, and the words
must not sit in the database in clear. So each record's text fields are cut into words, and
the index ``audit_token`` stores, per (record, word), only ``HMAC-SHA256(index key, word)``
truncated to :data:`TOKEN_BYTES` bytes. The index key is derived from the record's content
key (:meth:`AuditKeyring.index_key`), so it lives where the audit key lives, never in the
database, and rotates with it; a search asks for the word under every key in the keyring.

What is indexed (:func:`content_words`): every string under a key named in
:data:`TEXT_KEYS` anywhere in the record's content — message ``body`` (and the body of an
edit's ``m.new_content``), attachment ``filename``, reaction ``key``, room ``name`` and
``topic``, a member's ``displayname``, a ``reason``. Normalisation (:func:`words`): Unicode
NFKC, case-folded, split into runs of letters and digits (``"HbA1c: 7.2%"`` → ``hba1c``,
``7``, ``2``). Runs of :data:`MIN_WORD_CHARS` to :data:`MAX_WORD_CHARS` characters are
indexed, and so is each whitespace-separated token that joins runs with punctuation, trimmed
of punctuation at its ends (``7.2``, ``123-45-6789``): lab values and identifiers are often
made of runs too short to index alone. At most :data:`MAX_WORDS_PER_RECORD` distinct terms
of a record are indexed.

A search (:func:`search`) looks up the query's runs that are long enough (or, if it has none,
its joined tokens: ``"7.2"``), intersects the records that hold all of them (newest buckets
first, stopping once it has enough), then decrypts only those candidates to check that the
words stand together as typed — a truncated HMAC can collide, and "A1C 7.2" must not match
a record with an A1C here and a 7.2 there. So a result is exactly a record whose text
contains the query's words in that order.

What the index still reveals to someone with the database and without the key: how many
distinct words a record has, and which records share a word (equal words give equal
tokens) — not the words themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from bridge.audit import chain
from bridge.audit.models import BUCKET_BITS, token_table
from bridge.audit.records import AuditFilter, AuditRecord, RecordKind
from bridge.errors import AuditIntegrityError, InvalidArgument
from bridge.store.inserts import BulkInsert

if TYPE_CHECKING:
    from bridge.audit.log import AuditLog

#: Content keys whose string values are searchable text (at any depth of the content).
TEXT_KEYS = frozenset({"body", "filename", "key", "name", "topic", "displayname", "reason"})
MIN_WORD_CHARS = 2
MAX_WORD_CHARS = 64
MAX_WORDS_PER_RECORD = 2000
#: Bytes of the HMAC kept per word. Collisions only cost a decryption: every candidate is
#: checked against its plaintext before it is returned.
TOKEN_BYTES = 12
_MAX_DEPTH = 16
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\S+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
# Buckets looked at per round (newest first); grows 4x per round like AuditLog.query.
_FIRST_WINDOW = 4
_MAX_WINDOW = 256
_IN_CHUNK = 500

Blinder = Callable[[str], bytes]


def _normal(text: str) -> str:
    # NFKC leaves ASCII as it is and casefold() is lower() there: the common case is cheap.
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """``text`` normalised (NFKC, case-folded) and cut into runs of letters and digits."""
    return _WORD.findall(_normal(text))


def _indexable(term: str) -> bool:
    return MIN_WORD_CHARS <= len(term) <= MAX_WORD_CHARS


def joined_tokens(text: str) -> list[str]:
    """Whitespace-separated tokens that join runs with punctuation (``7.2``,
    ``123-45-6789``), normalised and trimmed of punctuation at their ends."""
    return _joined(_normal(text))


def _joined(normal: str) -> list[str]:
    found = []
    for token in normal.split():
        if token.isalnum():  # one run: nothing joined (the usual word)
            continue
        token = _EDGE.sub("", token)
        if len(_WORD.findall(token)) > 1:
            found.append(token)
    return found


def terms(text: str) -> list[str]:
    """Everything of ``text`` the index holds: long-enough runs, then joined tokens."""
    normal = _normal(text)
    return [t for t in (*_WORD.findall(normal), *_joined(normal)) if _indexable(t)]


def content_texts(content: Any) -> Iterator[str]:
    """The searchable strings of a record's content (see :data:`TEXT_KEYS`)."""
    stack: list[tuple[Any, int]] = [(content, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str):
                    if key in TEXT_KEYS:
                        yield item
                elif isinstance(item, dict | list):
                    stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))


def content_words(content: Any) -> list[str]:
    """The distinct indexable words of a record's content, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in content_texts(content):
        for word in terms(text):
            if word not in seen:
                seen[word] = None
                if len(seen) >= MAX_WORDS_PER_RECORD:
                    return list(seen)
    return list(seen)


def blinder(index_key: bytes, *, cache_size: int = 65536) -> Blinder:
    """``word → HMAC-SHA256(index_key, word)[:TOKEN_BYTES]``.

    An HMAC costs about 2 µs in CPython, a dozen per message; chat words repeat (Zipf), so
    the tokens of recent words are kept (at most ``cache_size``, then the memo starts
    over). The memo holds nothing the process does not already hold: it has the key.
    """
    base = hmac.new(index_key, digestmod=hashlib.sha256)
    memo: dict[str, bytes] = {}

    def blind(word: str) -> bytes:
        token = memo.get(word)
        if token is None:
            h = base.copy()
            h.update(word.encode())
            token = h.digest()[:TOKEN_BYTES]
            if len(memo) >= cache_size:
                memo.clear()
            memo[word] = token
        return token

    return blind


def has_phrase(content: Any, phrase: list[str]) -> bool:
    """Whether one text field of ``content`` holds the words of ``phrase`` in a row."""
    n = len(phrase)
    for text in content_texts(content):
        found = words(text)
        for i in range(len(found) - n + 1):
            if found[i : i + n] == phrase:
                return True
    return False


def query_words(text: str) -> tuple[list[str], list[str]]:
    """The phrase to confirm, and the distinct words of it the index can answer.

    Raises:
        InvalidArgument: nothing in ``text`` can be looked up.
    """
    phrase = words(text)
    indexed = list(dict.fromkeys(w for w in phrase if _indexable(w)))
    if not indexed:
        indexed = list(dict.fromkeys(t for t in joined_tokens(text) if _indexable(t)))
    if not indexed:
        raise InvalidArgument(
            f"--contains needs a word of {MIN_WORD_CHARS}–{MAX_WORD_CHARS} letters or digits"
        )
    return phrase, indexed


def _matches(record: AuditRecord, f: AuditFilter) -> bool:
    if f.category is not None and record.category != f.category:
        return False
    if f.since_ms is not None and record.recorded_ts < f.since_ms:
        return False
    if f.until_ms is not None and record.recorded_ts >= f.until_ms:
        return False
    if f.kind is not None and record.kind is not RecordKind(f.kind):
        return False
    if f.room is not None and record.room_id != f.room:
        return False
    if f.vendor is None and f.user is None:
        return True
    keys = set(chain.party_keys(record.to_entry()))
    return (f.vendor is None or "v:" + f.vendor in keys) and (
        f.user is None or "u:" + f.user in keys
    )


async def search(
    log: AuditLog, text: str, f: AuditFilter, *, with_content: bool = False
) -> list[AuditRecord]:
    """Records whose content contains ``text`` (as words, in order) and that match ``f``,
    newest first, at most ``f.limit``.

    Raises:
        InvalidArgument: ``text`` has no word the index can look up.
        AuditIntegrityError: a candidate record fails authentication.
    """
    phrase, indexed = query_words(text)
    keyring = log.keyring
    # Each word under every key in the ring: records written before a rotation are found.
    tokens = {
        word: [blinder(keyring.index_key(kid))(word) for kid in sorted(keyring.key_ids)]
        for word in indexed
    }
    head, _ = await log.read_head()
    found: list[AuditRecord] = []
    hi = head >> BUCKET_BITS
    width = _FIRST_WINDOW
    while hi >= 0 and (f.limit is None or len(found) < f.limit):
        buckets = list(range(hi, max(-1, hi - width), -1))
        candidates = await _candidates(log, buckets, tokens.values())
        for start in range(0, len(candidates), _IN_CHUNK):
            chunk = candidates[start : start + _IN_CHUNK]
            for record in await log.records_at(chunk, with_content=True):
                if _matches(record, f) and has_phrase(record.content, phrase):
                    found.append(
                        record
                        if with_content
                        else replace(record, content=None, content_loaded=False)
                    )
                    if f.limit is not None and len(found) >= f.limit:
                        return found
        hi -= len(buckets)
        width = min(width * 4, _MAX_WINDOW)
    return found


async def _candidates(
    log: AuditLog, buckets: list[int], token_sets: Iterable[list[bytes]]
) -> list[int]:
    """Seqs in ``buckets`` that hold every word (each word: any of its tokens), newest first."""
    t = token_table.c
    result: set[int] | None = None
    async with log.engine.connect() as conn:
        for tokens in token_sets:
            stmt = select(t.seq).where(t.bucket.in_(buckets), t.token.in_(tokens))
            seqs = {row[0] for row in await conn.execute(stmt)}
            result = seqs if result is None else result & seqs
            if not result:
                return []
    return sorted(result or (), reverse=True)


async def rebuild_index(log: AuditLog, *, chunk: int = 2000) -> tuple[int, int]:
    """Recompute the blind index of every record there is now (records written before the
    index existed, or an index to repair). Records appended meanwhile index themselves.

    Returns:
        Records indexed, and records skipped because their content fails authentication
        (``audit verify`` names those).

    Raises:
        AuditKeyError: a record is under a key that is not in the keyring.
    """
    head, _ = await log.read_head()
    t = token_table.c
    insert_rows = BulkInsert(log.engine.dialect, token_table, skip_conflicts=True)
    async with log.engine.begin() as conn:
        await conn.execute(delete(token_table).where(t.seq <= head))
    blinders: dict[str, Blinder] = {}
    indexed = skipped = 0
    for lo in range(1, head + 1, chunk):
        seqs = list(range(lo, min(lo + chunk, head + 1)))
        try:
            records = await log.records_at(seqs, with_content=True)
        except AuditIntegrityError:
            records = []
            for seq in seqs:
                try:
                    records.extend(await log.records_at([seq], with_content=True))
                except AuditIntegrityError:
                    skipped += 1
        rows: list[tuple[int, bytes, int]] = []
        for record in records:
            blind = blinders.get(record.key_id)
            if blind is None:
                blind = blinders[record.key_id] = blinder(log.keyring.index_key(record.key_id))
            bucket = record.seq >> BUCKET_BITS
            rows.extend((bucket, blind(w), record.seq) for w in content_words(record.content))
            indexed += 1
        async with log.engine.begin() as conn:
            await insert_rows(conn, rows)
    return indexed, skipped
