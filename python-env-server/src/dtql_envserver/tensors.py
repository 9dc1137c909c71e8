"""Tensor <-> numpy: little-endian, row-major bytes with an explicit dtype and shape."""

from __future__ import annotations

import math

import numpy as np

from dtql_envserver.errors import InvalidArgumentError
from dtql_envserver.proto import env_pb2

_TO_NUMPY: dict[int, np.dtype] = {
    env_pb2.DTYPE_FLOAT32: np.dtype("<f4"),
    env_pb2.DTYPE_FLOAT64: np.dtype("<f8"),
    env_pb2.DTYPE_INT32: np.dtype("<i4"),
    env_pb2.DTYPE_INT64: np.dtype("<i8"),
    env_pb2.DTYPE_BOOL: np.dtype("?"),
    env_pb2.DTYPE_UINT8: np.dtype("u1"),
}
_TO_PROTO: dict[str, int] = {dt.kind + str(dt.itemsize): code for code, dt in _TO_NUMPY.items()}


def proto_dtype(dtype: np.dtype) -> int:
    """The proto DType of a numpy dtype; ValueError if the contract has none."""
    dtype = np.dtype(dtype)
    code = _TO_PROTO.get(dtype.kind + str(dtype.itemsize))
    if code is None:
        raise ValueError(f"numpy dtype {dtype} has no contract DType")
    return code


def numpy_dtype(code: int, field_name: str) -> np.dtype:
    """The little-endian numpy dtype of a proto DType; INVALID_ARGUMENT if unknown."""
    dtype = _TO_NUMPY.get(code)
    if dtype is None:
        name = env_pb2.DType.Name(code) if code in env_pb2.DType.values() else str(code)
        raise InvalidArgumentError(f"{field_name}.dtype = {name} is not a usable dtype")
    return dtype


def to_tensor(array: np.ndarray) -> env_pb2.Tensor:
    """Serialises an array once: contiguous little-endian bytes plus dtype and shape."""
    array = np.asarray(array)
    little = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return env_pb2.Tensor(
        dtype=proto_dtype(array.dtype),
        shape=array.shape,
        data=np.ascontiguousarray(little).tobytes(),
    )


def from_tensor(tensor: env_pb2.Tensor, field_name: str) -> np.ndarray:
    """Decodes a Tensor, checking dtype, shape and byte length; the result is read-only."""
    dtype = numpy_dtype(tensor.dtype, field_name)
    shape = tuple(tensor.shape)
    if any(d < 0 for d in shape):
        raise InvalidArgumentError(f"{field_name}.shape = {list(shape)} has a negative dimension")
    # Python ints (no overflow); np.prod on a short tuple costs about 40x more per call.
    expected = math.prod(shape) * dtype.itemsize
    if len(tensor.data) != expected:
        raise InvalidArgumentError(
            f"{field_name}.data has {len(tensor.data)} bytes but shape {list(shape)} of "
            f"{np.dtype(dtype).name} needs {expected}"
        )
    array = np.frombuffer(tensor.data, dtype=dtype).reshape(shape)
    if np.little_endian:
        return array
    return array.astype(dtype.newbyteorder("="))  # big-endian host: one native copy
