"""A public corpus of hostile inputs for ``derivlab check derivation``, ``check weights`` and
``grade``: inputs that try to hang, exhaust memory, execute code or touch files outside the
output folder. Course staff can run it against their own deployment:

    >>> from pathlib import Path
    >>> from derivlab.testing.hostile import corpus
    >>> items = corpus()
    >>> items["tex-write18"].target
    'derivation'
    >>> b"write18" in items["tex-write18"].payload(Path("/tmp/SENTINEL"))
    True

Every item is generated at call time (nothing megabyte-sized is stored): ``payload(sentinel)``
gives the bytes of a file (or None for special files: symlinks, FIFOs, directories), and
``write(folder, sentinel)`` materialises it under the file name it targets. ``sentinel`` is a
path an executed payload would create (``touch``, ``\\write18``, ``__import__('os')``, a
pickled ``os.system``); it must never exist afterwards. ``derivlab.testing.hostile_harness``
runs items through the real CLI and judges the outcome.

Targets: ``derivation`` (a .tex file), ``weights-json``, ``weights-npz``, ``submission`` (a
folder of one submission, for ``grade``).
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

TARGET_FILE = {"derivation": "derivation.tex", "weights-json": "weights_identity.json",
               "weights-npz": "weights_identity.npz"}


@dataclass(frozen=True)
class HostileInput:
    """One hostile input: ``name``, what it ``target`` s, what it tries (``description``), and how
    to make it: ``make(sentinel) -> bytes`` for a plain file, or ``special(path, sentinel)`` that
    creates a symlink / FIFO / directory at ``path``."""

    name: str
    target: str
    description: str
    make: Callable[[Path], bytes] | None = None
    special: Callable[[Path, Path], None] | None = None

    @property
    def file_name(self) -> str:
        return TARGET_FILE.get(self.target, self.name)

    def payload(self, sentinel: Path) -> bytes | None:
        """The file's bytes (None for a special file)."""
        return None if self.make is None else self.make(sentinel)

    def write(self, folder: Path, sentinel: Path) -> Path:
        """Create the input inside ``folder`` (a submission folder for ``submission`` items)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.file_name
        if self.special is not None:
            self.special(path, sentinel)
        else:
            path.write_bytes(self.make(sentinel))
        return path


# --- derivations (.tex) ----------------------------------------------------------------------

def _align(body: str) -> bytes:
    return ("\\begin{align*}\n" + body + "\n\\end{align*}\n").encode()


_LHS = r"\mathbb{E}_R\left[\|y - (R \odot X)w\|_2^2\right]"


def _derivations() -> list[HostileInput]:
    D = "derivation"
    rng = random.Random(0)
    return [
        HostileInput("exponent-tower", D, "10^{10^{10}} as a step: must be refused, never evaluated",
                     lambda s: _align(f"{_LHS} &= 10^{{10^{{10}}}} \\|y\\|^2")),
        HostileInput("exponent-tower-p", D, "p^{10^{10^{10}}}: a symbolic exponent tower",
                     lambda s: _align(f"{_LHS} &= p^{{10^{{10^{{10}}}}}} \\|y - pXw\\|_2^2")),
        HostileInput("huge-factorial", D, "1000000! in a step",
                     lambda s: _align(f"{_LHS} &= 1000000! \\, \\|y - pXw\\|_2^2")),
        HostileInput("huge-literal", D, "a number with 200,000 digits",
                     lambda s: _align(f"{_LHS} &= {'9' * 200_000} p")),
        HostileInput("polynomial-blowup", D, "(y^T y + w^T w + p)^{64} products: exponential expansion",
                     lambda s: _align(f"{_LHS} &= " + " ".join([r"\left(y^\top y + w^\top w + p\right)^{64}"] * 8))),
        HostileInput("nested-braces", D, "100,000 nested braces",
                     lambda s: _align(f"{_LHS} &= " + "{" * 100_000 + "p" + "}" * 100_000)),
        HostileInput("nested-left-right", D, "20,000 nested \\left( \\right)",
                     lambda s: _align(f"{_LHS} &= " + "\\left(" * 20_000 + "p" + "\\right)" * 20_000)),
        HostileInput("nested-expectations", D, "5,000 nested expectations",
                     lambda s: _align(f"{_LHS} &= " + "\\mathbb{E}[" * 5000 + "p" + "]" * 5000)),
        HostileInput("nested-fractions", D, "3,000 nested \\frac",
                     lambda s: _align(f"{_LHS} &= " + "\\frac{1}{" * 3000 + "p" + "}" * 3000)),
        HostileInput("megabyte-line", D, "a megabyte on one line, inside one math block",
                     lambda s: _align(f"{_LHS} &= " + "p + " * (2**20 // 4) + "p")),
        HostileInput("many-steps", D, "a chain of 50,000 trivial steps p = p = ... (250 KB: under the CLI's 1 MB "
                     "and grading's 256 KB file limits)", lambda s: _align(" &= ".join(["p"] * 50_000))),
        HostileInput("expensive-steps", D, "25 small steps, each E of a product of six squared norms (5 KB)",
                     lambda s: _align(" \\\\\n".join(
                         [r"\mathbb{E}_R\left[" + " ".join([r"\|y - (R \odot X)w\|_2^2"] * 6) + r"\right] &= \|y - pXw\|_2^2"]
                         * 25))),
        HostileInput("random-bytes", D, "64 KiB of random bytes", lambda s: rng.randbytes(65536)),
        HostileInput("invalid-utf8", D, "a valid derivation with invalid UTF-8 bytes inside the math",
                     lambda s: _align(f"{_LHS} &= \\|y - pXw\\|_2^2").replace(b"pXw", b"p\xff\xfeXw\xc3\x28")),
        HostileInput("nul-bytes", D, "NUL bytes inside the math", lambda s: _align(f"{_LHS} &= p\x00\x00 X w")),
        HostileInput("empty-file", D, "an empty file", lambda s: b""),
        HostileInput("truncated-environment", D, "\\begin{align*} with no \\end",
                     lambda s: f"\\begin{{align*}}\n{_LHS} &= \\|y - pXw\\|_2^2 +".encode()),
        HostileInput("unterminated-brace", D, "\\frac{1-p}{p without its closing brace",
                     lambda s: _align(f"{_LHS} &= \\frac{{1-p}}{{p \\|\\Gamma w\\|^2")),
        HostileInput("unterminated-display", D, "\\[ without \\] and $$ without $$",
                     lambda s: f"\\[ {_LHS} = p \n $$ p = p".encode()),
        HostileInput("tex-input", D, "\\input{/etc/passwd} and \\include inside and outside math",
                     lambda s: b"\\input{/etc/passwd}\n" + _align(f"{_LHS} &= \\input{{/etc/passwd}} \\include{{/etc/shadow}}")),
        HostileInput("tex-write18", D, "\\write18 shell escape that would create the sentinel",
                     lambda s: f"\\immediate\\write18{{touch {s}}}\n".encode()
                     + _align(f"{_LHS} &= \\immediate\\write18{{touch {s}}} \\|y - pXw\\|_2^2")),
        HostileInput("tex-openout", D, "\\openout writing the sentinel file",
                     lambda s: (f"\\newwrite\\f\\immediate\\openout\\f={s}\\immediate\\write\\f{{x}}\n".encode()
                                + _align(_LHS + r" &= \text{\immediate\openout\f=" + str(s) + "} p"))),
        HostileInput("tex-csname-catcode", D, "\\csname, \\catcode and \\def macro bombs",
                     lambda s: (b"\\catcode`\\$=11 \\def\\a{\\a\\a}\\a\n"
                                + _align(f"{_LHS} &= \\csname write18\\endcsname{{touch {s}}} "
                                         f"\\catcode`\\^=12 \\def\\b{{\\b\\b}}\\b p"))),
        HostileInput("python-code", D, "Python in every field: math, \\text, definitions, labels",
                     lambda s: (f"\\text{{let }} P = __import__('os').system('touch {s}')\n".encode()
                                + _align(f"{_LHS} &= __import__('os').system('touch {s}') "
                                         f"\\text{{{{__import__('os').system('touch {s}')}}}} "
                                         f"\\label{{eval(compile('import os', 'x', 'exec'))}} p"))),
        HostileInput("lambda-sympify-bait", D, "text that sympify/parse_expr would execute",
                     lambda s: _align(f"{_LHS} &= \\operatorname{{exec}}(\"import os; os.system('touch {s}')\") "
                                      f"+ \\mathrm{{lambda}}: p")),
        HostileInput("symlink-passwd", D, "derivation.tex is a symlink to /etc/passwd",
                     special=lambda path, s: path.symlink_to("/etc/passwd")),
        HostileInput("symlink-dev-zero", D, "derivation.tex is a symlink to /dev/zero (endless)",
                     special=lambda path, s: path.symlink_to("/dev/zero")),
        HostileInput("fifo", D, "derivation.tex is a named pipe: opening it blocks forever",
                     special=lambda path, s: os.mkfifo(path)),
        HostileInput("directory", D, "derivation.tex is a directory", special=lambda path, s: path.mkdir()),
    ]


# --- weights (.json, .npz) ---------------------------------------------------------------------

def _json(obj: object) -> bytes:
    return json.dumps(obj).encode()


def _identity_rows(value: object = 0.0) -> list[list[object]]:
    return [[value] * 3 for _ in range(3)]


def _npz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode()


def _npy(rows: list[list[float]]) -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.array(rows, dtype=float), allow_pickle=False)
    return buf.getvalue()


def _valid_members(*, but: str) -> dict[str, bytes]:
    """Valid Qm, Vm (and Km) members of an identity design, except the member ``but``."""
    rows = {"Km": _identity_rows(8.0), "Qm": _identity_rows(8.0), "Vm": _identity_rows(1.0)}
    for k in range(3):
        for key in rows:
            rows[key][k][k] = 8.0 if key != "Vm" else 1.0
            rows[key][k] = [v if j == k else 0.0 for j, v in enumerate(rows[key][k])]
    return {f"{k}.npy": _npy(v) for k, v in rows.items() if k != but}


def _pickled_npy(sentinel: Path) -> bytes:
    """An object-dtype .npy whose pickle calls os.system('touch sentinel') when unpickled."""
    import pickle

    class _Payload:
        def __reduce__(self):
            return (os.system, (f"touch {sentinel}",))

    body = pickle.dumps([[_Payload()] * 3] * 3, protocol=2)
    return _npy_header((3, 3), "|O") + body


def _with_valid(member: bytes, name: str = "Km") -> bytes:
    """An .npz: the hostile ``name``.npy plus valid other members (so the hostile one is reached)."""
    return _npz({f"{name}.npy": member, **_valid_members(but=name)})


def _deflate_bomb(uncompressed_mb: int) -> bytes:
    """An .npz whose Km.npy declares (N, N) float64 and inflates to ``uncompressed_mb`` MB of zeros.

    Built in milliseconds: after a full flush deflate restarts, so one compressed 1 MiB block of
    zeros is repeated; the zip (stored by hand, one member) carries the CRC of the whole."""
    import struct
    import zlib

    side = int((uncompressed_mb * 2**20 // 8) ** 0.5)
    header, chunk = _npy_header((side, side)), bytes(2**20)  # hostile Km; Qm, Vm appended valid
    total = side * side * 8
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = z.compress(header) + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(total, len(chunk))
    tail = z.compress(bytes(rest)) + z.flush(zlib.Z_FINISH)
    data = head + block * blocks + tail
    crc = zlib.crc32(header)
    for _ in range(blocks):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(bytes(rest), crc)
    name, size = b"Km.npy", len(header) + total
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                          len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    bomb = local + data + central + end
    others = zipfile.ZipFile(io.BytesIO(_npz(_valid_members(but="Km"))))
    # append the valid members by re-writing the archive around the hand-made entry
    buf = io.BytesIO(bomb)
    with zipfile.ZipFile(buf, "a") as zf:
        for info in others.infolist():
            zf.writestr(info.filename, others.read(info.filename))
    return buf.getvalue()


def _nested_json(depth: int) -> bytes:
    return b'{"Km": ' + b"[" * depth + b"0" + b"]" * depth + b', "Qm": [[0]], "Vm": [[0]]}'


def _weights() -> list[HostileInput]:
    J, N = "weights-json", "weights-npz"
    ok = {"Km": _identity_rows(8.0), "Qm": _identity_rows(8.0), "Vm": _identity_rows(1.0)}
    return [
        HostileInput("json-enormous-array", J, "Km with 3,000,000 rows (~30 MB)",
                     lambda s: b'{"Qm": [[1,0,0]], "Vm": [[1,0,0]], "Km": [' + b",".join([b"[0.0,0.0,0.0]"] * 3_000_000) + b"]}"),
        HostileInput("json-deeply-nested", J, "Km nested 100,000 arrays deep", lambda s: _nested_json(100_000)),
        HostileInput("json-nan-inf", J, "NaN, Infinity and 1e999 entries",
                     lambda s: b'{"Km": [[NaN, Infinity, -Infinity], [1e999, 0, 0], [0, 0, 1]], '
                               b'"Qm": [[8,0,0],[0,8,0],[0,0,8]], "Vm": [[1,0,0],[0,1,0],[0,0,1]]}'),
        HostileInput("json-huge-int", J, "an integer with 100,000 digits", lambda s: b'{"Km": [[' + b"9" * 100_000 + b"]]}"),
        HostileInput("json-python-strings", J, "Python code as every value",
                     lambda s: _json({k: f"__import__('os').system('touch {s}')" for k in ("Km", "Qm", "Vm", "pos")})),
        HostileInput("json-python-in-rows", J, "Python code as matrix entries",
                     lambda s: _json({**ok, "Km": [[f"__import__('os').system('touch {s}')"] * 3] * 3})),
        HostileInput("json-ragged", J, "ragged rows and wrong shapes",
                     lambda s: _json({"Km": [[1], [1, 2], []], "Qm": [[1, 2, 3]], "Vm": [[[1]]]})),
        HostileInput("json-wrong-types", J, "top level is a list; keys null, bool, dict",
                     lambda s: _json([{"Km": None, "Qm": True, "Vm": {"a": 1}}])),
        HostileInput("json-missing-keys", J, "no Km", lambda s: _json({"Qm": ok["Qm"], "Vm": ok["Vm"]})),
        HostileInput("json-duplicate-keys", J, "Km given twice", lambda s: b'{"Km": [[1]], "Km": [[8,0,0],[0,8,0],[0,0,8]], "Qm": [[8,0,0],[0,8,0],[0,0,8]], "Vm": [[1,0,0],[0,1,0],[0,0,1]]}'),
        HostileInput("json-truncated", J, "a JSON file cut in the middle", lambda s: _json(ok)[:25]),
        HostileInput("json-random-bytes", J, "random bytes named .json", lambda s: random.Random(1).randbytes(4096)),
        HostileInput("json-invalid-utf8", J, "invalid UTF-8 inside a key", lambda s: _json(ok).replace(b"Km", b"K\xffm")),
        HostileInput("json-symlink-passwd", J, "a symlink to /etc/passwd", special=lambda p, s: p.symlink_to("/etc/passwd")),
        HostileInput("npz-pickle", N, "an object array whose unpickling runs os.system",
                     lambda s: _with_valid(_pickled_npy(s))),
        HostileInput("npz-pickle-everywhere", N, "every member a pickled os.system",
                     lambda s: _npz({"Km.npy": _pickled_npy(s), "Qm.npy": _pickled_npy(s), "Vm.npy": _pickled_npy(s)})),
        HostileInput("npz-deflate-bomb", N, "Km.npy inflates to 512 MB (a few hundred KB on disk)",
                     lambda s: _deflate_bomb(512)),
        HostileInput("npz-lying-header", N, "Km.npy declares shape (10^6, 10^6) with no data",
                     lambda s: _with_valid(_npy_header((10**6, 10**6)))),
        HostileInput("npz-not-a-zip", N, "random bytes named .npz", lambda s: random.Random(2).randbytes(4096)),
        HostileInput("npz-path-traversal", N, "members named ../../etc/evil.npy next to valid ones",
                     lambda s: _npz({"../../etc/Km.npy": _npy(_identity_rows(1.0)), **_valid_members(but="")})),
        HostileInput("npz-symlink-passwd", N, "a symlink to /etc/passwd", special=lambda p, s: p.symlink_to("/etc/passwd")),
    ]


def corpus() -> dict[str, HostileInput]:
    """Every hostile input by name (derivations, then weights files)."""
    items = _derivations() + _weights()
    return {item.name: item for item in items}


def by_target(target: str) -> list[HostileInput]:
    return [i for i in corpus().values() if i.target == target]
