"""Getting an attachment's bytes: a streaming download through the homeserver's authenticated
media API, and streaming decryption of Matrix encrypted attachments (``EncryptedFile``).

Download: ``GET {homeserver}/_matrix/client/v1/media/download/{server}/{media_id}`` with the
appservice's ``as_token`` and ``?user_id=<bot>`` — the appservice acting as its bot user
(authenticated media, Matrix v1.11). Chunks are handed to a sink as they arrive and counted
against ``max_size``: a ``Content-Length`` above the limit is refused before reading the
body, and a body that grows past the limit (a lying or absent length) is cut off after at
most one chunk more than the limit. Nothing is ever held whole in memory here.

Decryption: AES-256-CTR as the Matrix spec defines it (the 16-byte IV is an 8-byte nonce
and a 64-bit big-endian block counter), with the SHA-256 of the *ciphertext* checked at the
end. pycryptodome's `Counter.new(64, prefix=…)` is used because it is exactly what
mautrix's `decrypt_attachment` does (including IVs with a non-zero counter half, which some
clients send), only incrementally.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from Crypto.Cipher import AES
from Crypto.Util import Counter

from .errors import MediaBlocked

__all__ = [
    "DEFAULT_DOWNLOAD_CHUNK",
    "DEFAULT_DOWNLOAD_TIMEOUT",
    "AttachmentDecryptor",
    "EncryptionInfo",
    "MediaFetcher",
    "parse_mxc",
]

DEFAULT_DOWNLOAD_CHUNK = 64 * 1024
DEFAULT_DOWNLOAD_TIMEOUT = 120.0

# Server names (hostname, IPv4, [IPv6], optional port) and media IDs ([A-Za-z0-9_-]) as the
# spec allows them; anything else could smuggle a path into the request URL.
_MXC = re.compile(
    r"^mxc://([A-Za-z0-9.\-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?)/([A-Za-z0-9_\-]+)$"
)


def parse_mxc(url: object) -> tuple[str, str]:
    """Split an ``mxc://server/media_id`` URL.

    Args:
        url: the value from the event (anything; events are untrusted).

    Returns:
        (server name, media ID).

    Raises:
        MediaBlocked: DOWNLOAD_FAILED for anything that is not a well-formed mxc URL.
    """
    match = _MXC.match(url) if isinstance(url, str) else None
    if match is None:
        shown = url if isinstance(url, str) and len(url) <= 80 else type(url).__name__
        raise MediaBlocked.download_failed(f"invalid media URL {shown!r}")
    return match.group(1), match.group(2)


def _b64decode(value: object, what: str) -> bytes:
    """Unpadded base64 in either alphabet (the spec says standard for iv/hashes and url-safe
    for the JWK, and clients are not always careful)."""
    if not isinstance(value, str) or not value:
        raise MediaBlocked.not_scannable(f"encrypted file without a valid {what}")
    text = value.strip().rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as err:
        raise MediaBlocked.not_scannable(f"encrypted file with an invalid {what}") from err


@dataclass(frozen=True, slots=True)
class EncryptionInfo:
    """The parts of an ``EncryptedFile`` needed to fetch, verify and decrypt it.

    Attributes:
        url: the mxc URL of the ciphertext.
        key: the 32-byte AES key (JWK ``k``).
        iv: the 16-byte counter block.
        sha256: the expected SHA-256 digest of the ciphertext.
    """

    url: str
    key: bytes
    iv: bytes
    sha256: bytes

    @classmethod
    def from_file(cls, file: object) -> EncryptionInfo:
        """Parse the ``file`` object of an encrypted media event.

        Args:
            file: ``content["file"]`` or ``info["thumbnail_file"]`` (untrusted).

        Returns:
            The validated parts.

        Raises:
            MediaBlocked: NOT_SCANNABLE when a key, IV or hash is missing or malformed
                (the file cannot be decrypted, so it cannot be checked), DOWNLOAD_FAILED for
                a bad URL.
        """
        if not isinstance(file, Mapping):
            raise MediaBlocked.not_scannable("encrypted file description is not an object")
        url = file.get("url")
        parse_mxc(url)
        jwk = file.get("key")
        if not isinstance(jwk, Mapping):
            raise MediaBlocked.not_scannable("encrypted file without a key")
        if jwk.get("alg", "A256CTR") != "A256CTR" or jwk.get("kty", "oct") != "oct":
            raise MediaBlocked.not_scannable(
                f"encrypted file with an unsupported key ({jwk.get('kty')}/{jwk.get('alg')})"
            )
        key = _b64decode(jwk.get("k"), "key")
        iv = _b64decode(file.get("iv"), "IV")
        hashes = file.get("hashes")
        digest = _b64decode(hashes.get("sha256") if isinstance(hashes, Mapping) else None, "hash")
        if len(key) != 32 or len(iv) != 16 or len(digest) != 32:
            raise MediaBlocked.not_scannable("encrypted file with a wrong key, IV or hash length")
        return cls(url=str(url), key=key, iv=iv, sha256=digest)


class AttachmentDecryptor:
    """Decrypts an encrypted attachment chunk by chunk and checks its hash at the end."""

    def __init__(self, info: EncryptionInfo) -> None:
        counter = Counter.new(
            64, prefix=info.iv[:8], initial_value=struct.unpack(">Q", info.iv[8:])[0]
        )
        self._cipher = AES.new(info.key, AES.MODE_CTR, counter=counter)
        self._hash = hashlib.sha256()
        self._expected = info.sha256

    def update(self, ciphertext: bytes) -> bytes:
        """Args: ciphertext: the next chunk. Returns: the matching plaintext."""
        self._hash.update(ciphertext)
        return self._cipher.decrypt(ciphertext)

    def verify(self) -> None:
        """Raises: MediaBlocked: HASH_MISMATCH unless the ciphertext's SHA-256 matches."""
        if not hmac.compare_digest(self._hash.digest(), self._expected):
            raise MediaBlocked.hash_mismatch()


class MediaFetcher:
    """Downloads media from the homeserver as the appservice's bot, streaming.

    Attributes:
        downloads: requests sent (tests assert "no download happened").
        bytes_received: body bytes handed to sinks, over all downloads.
    """

    def __init__(
        self,
        homeserver_url: str,
        as_token: str,
        user_id: str,
        session: aiohttp.ClientSession,
        *,
        timeout: float = DEFAULT_DOWNLOAD_TIMEOUT,
        chunk_size: int = DEFAULT_DOWNLOAD_CHUNK,
    ) -> None:
        """Args:
        homeserver_url: the client-server API base, e.g. ``http://127.0.0.1:8008``.
        as_token: the appservice token (``Authorization: Bearer``).
        user_id: the bot's user ID, sent as ``?user_id=`` (appservice masquerading).
        session: shared aiohttp session (not closed here).
        timeout: seconds for a whole download.
        chunk_size: read size, and so the overshoot bound past ``max_size``.
        """
        self.homeserver_url = homeserver_url.rstrip("/")
        self.as_token = as_token
        self.user_id = user_id
        self.session = session
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.downloads = 0
        self.bytes_received = 0

    def download_url(self, mxc: str) -> str:
        """The authenticated-media URL for an mxc URL. Raises: MediaBlocked (bad URL)."""
        server, media_id = parse_mxc(mxc)
        return f"{self.homeserver_url}/_matrix/client/v1/media/download/{server}/{media_id}"

    async def fetch(self, mxc: str, sink: Callable[[bytes], None], *, max_size: int) -> int:
        """Stream one file into `sink`, refusing to read past `max_size`.

        Args:
            mxc: ``mxc://server/media_id``.
            sink: called with each chunk, in order.
            max_size: byte limit (``media.max_size``).

        Returns:
            The number of bytes delivered.

        Raises:
            MediaBlocked: TOO_LARGE past the limit (by Content-Length, before the body, or
                while reading); DOWNLOAD_FAILED for a bad URL, an HTTP error, a timeout or a
                broken connection. Whatever `sink` raises propagates.
        """
        url = self.download_url(mxc)
        self.downloads += 1
        received = 0
        try:
            async with self.session.get(
                url,
                params={"user_id": self.user_id},
                headers={"Authorization": f"Bearer {self.as_token}"},
                # A redirect would carry the appservice token to another origin.
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as resp:
                if resp.status != 200:
                    raise MediaBlocked.download_failed(await _http_error(resp))
                length = resp.content_length
                if length is not None and length > max_size:
                    resp.close()  # drop the connection instead of draining the body
                    raise MediaBlocked.too_large(length, max_size)
                async for chunk in resp.content.iter_chunked(self.chunk_size):
                    received += len(chunk)
                    self.bytes_received += len(chunk)
                    if received > max_size:
                        resp.close()
                        raise MediaBlocked.too_large(None, max_size)
                    sink(chunk)
        except TimeoutError as err:
            raise MediaBlocked.download_failed(f"timed out after {self.timeout:g} s") from err
        except aiohttp.ClientError as err:
            raise MediaBlocked.download_failed(f"{type(err).__name__}: {err}") from err
        return received


async def _http_error(resp: aiohttp.ClientResponse) -> str:
    """ "HTTP 404 (M_NOT_FOUND)" — the Matrix errcode when the body has one."""
    errcode = ""
    try:
        # Error bodies are small JSON; never read more than a little of whatever it is.
        body: Any = json.loads(await resp.content.read(16 * 1024))
        if isinstance(body, Mapping) and isinstance(body.get("errcode"), str):
            errcode = f" ({body['errcode']})"
    except (ValueError, aiohttp.ClientError):
        pass
    return f"HTTP {resp.status}{errcode}"
