"""Reading a student's weights file safely: .json or .npz with keys Km, Qm, Vm and optional pos.

The file is hostile until proven otherwise: its size is capped before reading, the element
count before materialising, JSON nesting errors and numbers that are not finite become one-line
``InputError``s, and .npz members are read with ``allow_pickle=False`` after their headers
(dtype, shape) are checked. Shapes are then checked against the task: Km and Qm are
(token_dim + pos_dim) × qk_dim, Vm is (token_dim + pos_dim) × out_dim, pos has at least one
row per position of the longest sequence (positions are CONCATENATED to the tokens).
"""

from __future__ import annotations

import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from derivlab.errors import InputError
from derivlab.transformers.tasks import Task, get_task

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ELEMENTS = 100_000
MAX_WIDTH = 512  # qk_dim and pos_dim: the batched pass holds (inputs × length × width) numbers
KEYS = ("Km", "Qm", "Vm", "pos")
REQUIRED = ("Km", "Qm", "Vm")


@dataclass(frozen=True, eq=False)
class Weights:
    """A checked weights file: float64 matrices in the notebook's orientation (x Km, x Qm, x Vm)."""

    Km: np.ndarray
    Qm: np.ndarray
    Vm: np.ndarray
    pos: np.ndarray | None

    @property
    def pos_dim(self) -> int:
        return 0 if self.pos is None else int(self.pos.shape[1])

    @property
    def qk_dim(self) -> int:
        return int(self.Km.shape[1])


def read_weights(path: Path, task: str) -> Weights:
    """Load ``path`` (.json or .npz) and check its shapes for ``task``; InputError with one line otherwise."""
    spec = get_task(task)
    raw = _load_arrays(Path(path))
    return check_shapes(raw, spec)


def weights_from_mapping(data: Any, task: str) -> Weights:
    """Weights given in Python: a mapping with Km, Qm, Vm[, pos], each a list of rows, a NumPy
    array or a tensor (anything with ``tolist()``), checked exactly like a JSON file."""
    spec = get_task(task)
    if not hasattr(data, "keys"):
        raise InputError(f"weights must be a mapping with keys Km, Qm, Vm[, pos], got {type(data).__name__}")
    plain = {k: (data[k].tolist() if hasattr(data[k], "tolist") else data[k]) for k in KEYS if k in data}
    missing = [k for k in REQUIRED if plain.get(k) is None]
    if missing:
        raise InputError(f"missing key {missing[0]} (a list of rows); expected keys Km, Qm, Vm and optional pos")
    budget = [MAX_ELEMENTS]
    arrays = {k: _json_matrix(k, v, budget) for k, v in plain.items() if v is not None}
    return check_shapes(arrays, spec)


# --- loading ---------------------------------------------------------------------------


def _load_arrays(path: Path) -> dict[str, np.ndarray]:
    try:
        if not path.exists():
            raise InputError(f"cannot read {path}: no such file")
        if not path.is_file():
            raise InputError(f"cannot read {path}: not a regular file")
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size == 0:
        raise InputError(f"{path.name} is empty (expected a JSON object or .npz with keys Km, Qm, Vm[, pos])")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name} is {size} bytes; weights files are limited to {MAX_FILE_BYTES} bytes")
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(b"PK"):
        return _load_npz(path)
    if path.suffix.lower() == ".npz":
        raise InputError(f"{path.name} is not a valid .npz file (not a zip archive)")
    return _load_json(path)


def _load_json(path: Path) -> dict[str, np.ndarray]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path.name} is not UTF-8 text (expected JSON or .npz)") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.strip():
        raise InputError(f"{path.name} is empty (expected a JSON object with keys Km, Qm, Vm[, pos])")
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"{path.name}: JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, or an integer with too many digits
        reason = "a number has too many digits" if "digits" in str(exc) else str(exc).splitlines()[0][:120]
        raise InputError(f"{path.name} is not valid JSON: {reason}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: expected a JSON object with keys Km, Qm, Vm[, pos], got {type(data).__name__}")
    _require_keys(path, data.keys(), lambda k: data.get(k) is not None)
    arrays: dict[str, np.ndarray] = {}
    budget = [MAX_ELEMENTS]
    for key in KEYS:
        if data.get(key) is not None:
            arrays[key] = _json_matrix(key, data[key], budget)
    return arrays


def _require_keys(path: Path, present, has) -> None:
    missing = [k for k in REQUIRED if k not in present or not has(k)]
    if missing:
        raise InputError(f"{path.name}: missing key {missing[0]} (a list of rows); expected keys Km, Qm, Vm and optional pos")


def _json_matrix(key: str, value: Any, budget: list[int]) -> np.ndarray:
    """A list of equal-length rows of finite numbers -> float array (elements counted against ``budget``)."""
    if not isinstance(value, list):
        raise InputError(f"{key} must be a list of rows of numbers, got {_kind(value)}")
    if not value:
        raise InputError(f"{key} is empty; it must be a non-empty list of rows")
    width = None
    rows = []
    for i, row in enumerate(value):
        if not isinstance(row, list):
            raise InputError(f"{key} must be a list of rows (a 2-D array): {key}[{i}] is {_kind(row)}")
        if width is None:
            width = len(row)
            if width == 0:
                raise InputError(f"{key}[0] is an empty row")
        elif len(row) != width:
            raise InputError(f"{key} has rows of different lengths ({key}[0] has {width}, {key}[{i}] has {len(row)})")
        budget[0] -= width
        if budget[0] < 0:
            raise InputError(f"the weights have more than {MAX_ELEMENTS} numbers in all; these tasks need a few hundred")
        out_row = []
        for j, x in enumerate(row):
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                raise InputError(f"{key}[{i}][{j}] is {_kind(x)}, not a number")
            try:
                f = float(x)
            except OverflowError:
                raise InputError(f"{key}[{i}][{j}] is too large for a float") from None
            if not math.isfinite(f):
                raise InputError(f"{key}[{i}][{j}] is {'NaN' if math.isnan(f) else 'infinite'}; every entry must be finite")
            out_row.append(f)
        rows.append(out_row)
    return np.array(rows, dtype=float)


def _kind(x: Any) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "a boolean"
    if isinstance(x, str):
        return f"a string ({x[:20]!r})"
    if isinstance(x, dict):
        return "an object"
    if isinstance(x, list):
        return "a list"
    return type(x).__name__


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with zipfile.ZipFile(path) as zf:
            members = {info.filename: info for info in zf.infolist()}
            if len(members) > 64:
                raise InputError(f"{path.name} has {len(members)} members; expected Km, Qm, Vm[, pos]")
            names = {n[:-4]: n for n in members if n.endswith(".npy")}
            _require_keys(path, names.keys(), lambda k: True)
            arrays: dict[str, np.ndarray] = {}
            budget = MAX_ELEMENTS
            for key in KEYS:
                if key not in names:
                    continue
                info = members[names[key]]
                if info.file_size > MAX_ELEMENTS * 16 + 4096:
                    raise InputError(f"{key} in {path.name} is {info.file_size} bytes unpacked; too large")
                with zf.open(info) as fh:
                    arr = _read_npy(key, fh, budget)
                budget -= arr.size
                arrays[key] = arr
            return arrays
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise InputError(f"{path.name} is not a readable .npz file: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}") from None


def _read_npy(key: str, fh, budget: int) -> np.ndarray:
    """One .npy member: header first (dtype, shape, size checked), then the data, never pickles."""
    fmt = np.lib.format
    version = fmt.read_magic(fh)
    if version == (1, 0):
        shape, fortran, dtype = fmt.read_array_header_1_0(fh)
    elif version in ((2, 0), (3, 0)):
        shape, fortran, dtype = fmt.read_array_header_2_0(fh)
    else:
        raise InputError(f"{key}: unsupported .npy version {version}")
    if dtype.hasobject:
        raise InputError(f"{key} holds Python objects (pickled); only arrays of numbers are accepted")
    if dtype.kind not in "iuf":
        raise InputError(f"{key} has dtype {dtype}, not numbers (int or float)")
    if len(shape) != 2:
        raise InputError(f"{key} must be a 2-D array (a list of rows), got shape {tuple(shape)}")
    size = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if size == 0:
        raise InputError(f"{key} is empty (shape {tuple(shape)})")
    if size > budget:
        raise InputError(f"the weights have more than {MAX_ELEMENTS} numbers in all; these tasks need a few hundred")
    data = fh.read(size * dtype.itemsize)
    if len(data) != size * dtype.itemsize:
        raise InputError(f"{key}: the .npy data is truncated")
    arr = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C").astype(float)
    if not np.all(np.isfinite(arr)):
        i, j = np.argwhere(~np.isfinite(arr))[0]
        kind = "NaN" if np.isnan(arr[i, j]) else "infinite"
        raise InputError(f"{key}[{i}][{j}] is {kind}; every entry must be finite")
    return arr


# --- shapes ----------------------------------------------------------------------------


def _shape(a: np.ndarray) -> str:
    return f"({a.shape[0]}, {a.shape[1]})"


def check_shapes(raw: dict[str, np.ndarray], task: Task) -> Weights:
    """The shapes docs/spec/problems.md asks for, with a message naming the key and the expected shape."""
    pos = raw.get("pos")
    for key, M in raw.items():
        if key in ("Km", "Qm", "pos") and M.shape[1] > MAX_WIDTH:
            what = "pos_dim" if key == "pos" else "qk_dim"
            raise InputError(f"{key} has shape {_shape(M)}: {what} {M.shape[1]} is more than the {MAX_WIDTH} "
                             f"this checker accepts (the tasks need a handful)")
    pos_dim = 0 if pos is None else pos.shape[1]
    where = f"pos_dim {pos_dim} from pos" if pos is not None else "pos_dim 0 (no pos given)"
    in_dim = task.token_dim + pos_dim
    name = task.name
    if pos is not None and pos.shape[0] < task.max_seq_len:
        raise InputError(f"pos has shape {_shape(pos)} but the {name} task needs at least {task.max_seq_len} rows "
                         f"(one per position of the longest sequence) × pos_dim")
    Km, Qm, Vm = raw["Km"], raw["Qm"], raw["Vm"]
    for key, M in (("Km", Km), ("Qm", Qm)):
        if M.shape[0] != in_dim:
            other = Qm if key == "Km" else Km
            raise InputError(f"{key} has shape {_shape(M)} but the {name} task needs ({task.token_dim} + pos_dim) × qk_dim "
                             f"= ({in_dim}, qk_dim) with {where}"
                             + (f" (e.g. ({in_dim}, {other.shape[1]}) to match {'Qm' if key == 'Km' else 'Km'})"
                                if other.shape[0] == in_dim else ""))
    if Km.shape[1] != Qm.shape[1]:
        raise InputError(f"Km has shape {_shape(Km)} but the {name} task needs ({task.token_dim} + pos_dim) × qk_dim "
                         f"= ({in_dim}, {Qm.shape[1]}) with Qm's qk_dim {Qm.shape[1]}: Km and Qm must have the same shape")
    if Vm.shape != (in_dim, task.out_dim):
        raise InputError(f"Vm has shape {_shape(Vm)} but the {name} task needs ({task.token_dim} + pos_dim) × "
                         f"{task.out_dim} = ({in_dim}, {task.out_dim}) with {where}")
    return Weights(Km, Qm, Vm, pos)
