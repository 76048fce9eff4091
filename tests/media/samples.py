"""Small real files of each kind the media tests need, built in code (no binary fixtures)."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

# The 68-byte EICAR anti-virus test file, assembled so that this source file itself is not
# flagged by scanners on developer machines.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + b"$H+H*"
assert len(EICAR) == 68
EICAR_NAME = "Eicar-Test-Signature"


def png(width: int = 1, height: int = 1) -> bytes:
    """A valid RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\0" + b"\0\0\0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A JFIF header and end marker — what libmagic (and browsers) key on."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def pdf(padding: int = 0) -> bytes:
    """A minimal PDF; `padding` random bytes in a comment make unique files of any size."""
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n"
    if padding:
        body += b"%" + os.urandom(padding) + b"\n"
    return body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def text(body: str = "Lab results are in; see you Tuesday.\n") -> bytes:
    return body.encode()


def elf_executable() -> bytes:
    """An x86-64 ELF header of type ET_EXEC (libmagic: application/x-executable)."""
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header = struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 0, 64, 0, 0)
    return ident + header + bytes(256)


def pe_executable() -> bytes:
    """A DOS/PE header (libmagic: application/vnd.microsoft.portable-executable)."""
    image = bytearray(512)
    image[0:2] = b"MZ"
    struct.pack_into("<I", image, 0x3C, 0x80)
    image[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<HH", image, 0x84, 0x14C, 1)  # i386, one section
    struct.pack_into("<H", image, 0x94, 0xE0)  # optional header size
    struct.pack_into("<H", image, 0x98, 0x10B)  # PE32 magic
    return bytes(image)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "nothing to see")
    return buffer.getvalue()
